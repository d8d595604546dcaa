//! Validation per policy kind, in AWS's order, and compilation of the validated document.
//!
//! `policy-language.md` §9.2: syntax first, then version, then "legacy parsing", then Sid
//! uniqueness, then the presence of actions/resources, then formats, then trust-policy
//! rules, then the identity-policy principal rule. Size limits (§9.1) are checked on the text
//! before any of these (*choice*: AWS's relative order is not pinned). Every message comes from
//! [`crate::error::messages`].

use std::sync::Arc;

use crate::arn::{ArnPattern, split_arn};
use crate::condition::{Condition, KeyCondition, Operator, OperatorBlock, Values};
use crate::document::{
    ActionElement, Document, Effect, PolicyKind, PrincipalElement, PrincipalEntry,
    PrincipalMatcher, ResourceElement, Statement, StringList, string_list,
};
use crate::error::{PolicyError, messages};
use crate::json::{self, Json};
use crate::pattern::Glob;

const MANAGED_LIMIT: usize = 6_144;
const TRUST_LIMIT: usize = 2_048;
const ORGANIZATIONS_LIMIT: usize = 5_120;
const SESSION_LIMIT: usize = 2_048;
const API_MAX: usize = 131_072;

/// Partitions accepted in resource ARNs.
const PARTITIONS: &[&str] = &[
    "aws",
    "aws-cn",
    "aws-us-gov",
    "aws-iso",
    "aws-iso-b",
    "aws-iso-e",
    "aws-iso-f",
    "aws-eusc",
];

/// Resource-type prefixes IAM accepts (§5), plus `root` for `sts:AssumeRoot` resources.
const IAM_RESOURCE_PREFIXES: &[&str] = &[
    "user/",
    "federated-user/",
    "role/",
    "group/",
    "instance-profile/",
    "mfa/",
    "server-certificate/",
    "policy/",
    "sms-mfa/",
    "saml-provider/",
    "oidc-provider/",
    "report/",
    "access-report/",
];

/// Actions a trust policy may name (§9.2 item 7).
const TRUST_ACTIONS: &[&str] = &[
    "sts:AssumeRole",
    "sts:AssumeRoleWithSAML",
    "sts:AssumeRoleWithWebIdentity",
    "sts:TagSession",
    "sts:SetSourceIdentity",
    "sts:SetContext",
];

fn syntax() -> PolicyError {
    PolicyError::malformed(messages::SYNTAX)
}

/// The default size quota of `kind` in characters, if it has one per document.
pub(crate) fn default_limit(kind: PolicyKind) -> Option<usize> {
    match kind {
        PolicyKind::Managed => Some(MANAGED_LIMIT),
        PolicyKind::Trust => Some(TRUST_LIMIT),
        PolicyKind::ServiceControl | PolicyKind::ResourceControl => Some(ORGANIZATIONS_LIMIT),
        PolicyKind::Session => Some(SESSION_LIMIT),
        PolicyKind::Identity | PolicyKind::Resource | PolicyKind::PermissionsBoundary => None,
    }
}

/// API-level and size checks on the raw text; `limit` overrides the kind's default quota.
pub(crate) fn check_text(
    text: &str,
    kind: PolicyKind,
    limit: Option<usize>,
) -> Result<(), PolicyError> {
    if text.is_empty() {
        return Err(PolicyError::Validation(messages::API_EMPTY.to_owned()));
    }
    let mut chars = 0usize;
    let mut allowed = true;
    for c in text.chars() {
        chars += 1;
        allowed &= matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{ff}');
    }
    if chars > API_MAX {
        return Err(PolicyError::Validation(messages::API_LENGTH.to_owned()));
    }
    if !allowed {
        return Err(PolicyError::Validation(messages::CHARSET.to_owned()));
    }
    let Some(limit) = limit.or_else(|| default_limit(kind)) else {
        return Ok(());
    };
    let size = json::non_whitespace_len(text);
    match kind {
        PolicyKind::Managed if size > limit => {
            Err(PolicyError::LimitExceeded(messages::policy_size(limit)))
        }
        PolicyKind::Trust if size > limit => {
            Err(PolicyError::LimitExceeded(messages::trust_size(limit)))
        }
        // Organizations counts every character when the API is used (§9.1).
        PolicyKind::ServiceControl | PolicyKind::ResourceControl if chars > limit => Err(
            PolicyError::ConstraintViolation(messages::ORGANIZATIONS_SIZE.to_owned()),
        ),
        PolicyKind::Session if size > limit => Err(PolicyError::PackedPolicyTooLarge(
            messages::packed_policy(size * 100 / limit.max(1)),
        )),
        // Inline identity, boundary and service resource policies: only an explicit limit,
        // reported like the managed-policy quota.
        PolicyKind::Identity | PolicyKind::PermissionsBoundary | PolicyKind::Resource
            if size > limit =>
        {
            Err(PolicyError::LimitExceeded(messages::policy_size(limit)))
        }
        _ => Ok(()),
    }
}

/// A statement after the syntax pass.
struct RawStatement<'a> {
    sid: Option<String>,
    effect: &'a str,
    principal: Option<(bool, &'a Json)>,
    action: Option<(bool, StringList)>,
    resource: Option<(bool, StringList)>,
    condition: Option<RawCondition>,
}

fn read_statement(members: &[(String, Json)]) -> Result<RawStatement<'_>, PolicyError> {
    let mut st = RawStatement {
        sid: None,
        effect: "",
        principal: None,
        action: None,
        resource: None,
        condition: None,
    };
    let mut effect = None;
    for (key, value) in members {
        match key.as_str() {
            "Sid" => match value {
                Json::String(s) => st.sid = Some(s.clone()),
                _ => return Err(syntax()),
            },
            // An effect that is not `Allow`/`Deny` in any case is a syntax error; only a
            // wrongly cased one (`allow`, `denY`) reaches legacy parsing (moto's recorded AWS
            // answers, `test_iam_policies.py`).
            "Effect" => match value {
                Json::String(s)
                    if s.eq_ignore_ascii_case("allow") || s.eq_ignore_ascii_case("deny") =>
                {
                    effect = Some(s.as_str());
                }
                _ => return Err(syntax()),
            },
            "Principal" | "NotPrincipal" => {
                if st.principal.is_some() {
                    return Err(syntax());
                }
                check_principal_shape(value)?;
                st.principal = Some((key == "NotPrincipal", value));
            }
            "Action" | "NotAction" => {
                if st.action.is_some() {
                    return Err(syntax());
                }
                st.action = Some((
                    key == "NotAction",
                    string_list(value, false).ok_or_else(syntax)?,
                ));
            }
            "Resource" | "NotResource" => {
                if st.resource.is_some() {
                    return Err(syntax());
                }
                st.resource = Some((
                    key == "NotResource",
                    resource_list(value).ok_or_else(syntax)?,
                ));
            }
            "Condition" => st.condition = Some(read_condition(value)?),
            _ => return Err(syntax()),
        }
    }
    st.effect = effect.ok_or_else(syntax)?;
    Ok(st)
}

/// A `Resource`/`NotResource` value. IAM accepts a `null` member of a Resource list and
/// ignores it (moto's suite records AWS accepting `["arn:…", null]`); a list of nothing but
/// nulls names no resource and is refused like an empty one.
fn resource_list(value: &Json) -> Option<StringList> {
    match value {
        Json::Array(items) if items.iter().any(|v| matches!(v, Json::Null)) => {
            let kept: Vec<Json> = items
                .iter()
                .filter(|v| !matches!(v, Json::Null))
                .cloned()
                .collect();
            if kept.is_empty() {
                return None;
            }
            string_list(&Json::Array(kept), false)
        }
        other => string_list(other, false),
    }
}

fn check_principal_shape(value: &Json) -> Result<(), PolicyError> {
    match value {
        Json::String(s) if s == "*" => Ok(()),
        Json::Object(entries) if !entries.is_empty() => {
            for (kind, values) in entries {
                if !matches!(
                    kind.as_str(),
                    "AWS" | "Service" | "Federated" | "CanonicalUser"
                ) {
                    return Err(syntax());
                }
                let list = string_list(values, false).ok_or_else(syntax)?;
                if list.values.is_empty() {
                    return Err(syntax());
                }
            }
            Ok(())
        }
        _ => Err(syntax()),
    }
}

type RawCondition = Vec<(String, Operator, Vec<(String, StringList)>)>;

fn read_condition(value: &Json) -> Result<RawCondition, PolicyError> {
    let Json::Object(ops) = value else {
        return Err(syntax());
    };
    let mut out = Vec::with_capacity(ops.len());
    for (name, keys) in ops {
        let Json::Object(keys) = keys else {
            return Err(syntax());
        };
        // An unknown operator over no keys is accepted (and constrains nothing), as AWS
        // accepts `{"a": {}}`; over any key it is malformed, never silently true.
        let Some(op) = Operator::parse(name) else {
            if keys.is_empty() {
                continue;
            }
            return Err(syntax());
        };
        let mut list = Vec::with_capacity(keys.len());
        for (key, values) in keys {
            list.push((key.clone(), string_list(values, true).ok_or_else(syntax)?));
        }
        out.push((name.clone(), op, list));
    }
    Ok(out)
}

/// Validates a parsed JSON tree as a policy of `kind` and compiles it.
pub(crate) fn build(tree: Json, kind: PolicyKind) -> Result<Document, PolicyError> {
    // 1. Syntax.
    let Json::Object(top) = &tree else {
        return Err(syntax());
    };
    let mut version = None;
    let mut id = None;
    let mut statement = None;
    for (key, value) in top {
        match (key.as_str(), value) {
            ("Version", Json::String(v)) if v == "2012-10-17" || v == "2008-10-17" => {
                version = Some(v.clone());
            }
            ("Id", Json::String(v)) => id = Some(v.clone()),
            ("Statement", v) => statement = Some(v),
            _ => return Err(syntax()),
        }
    }
    let (items, statement_is_list): (Vec<&[(String, Json)]>, bool) = match statement {
        Some(Json::Object(members)) => (vec![members.as_slice()], false),
        Some(Json::Array(items)) if !items.is_empty() => (
            items
                .iter()
                .map(|i| match i {
                    Json::Object(m) => Ok(m.as_slice()),
                    _ => Err(syntax()),
                })
                .collect::<Result<_, _>>()?,
            true,
        ),
        _ => return Err(syntax()),
    };
    let raws = items
        .into_iter()
        .map(read_statement)
        .collect::<Result<Vec<_>, _>>()?;

    // 2. Version.
    let modern = version.as_deref() == Some("2012-10-17");
    if matches!(
        kind,
        PolicyKind::Managed | PolicyKind::ServiceControl | PolicyKind::ResourceControl
    ) && !modern
    {
        return Err(PolicyError::malformed(messages::VERSION_REQUIRED));
    }

    // 3. Legacy parsing: resource ARNs of four or five fields, or with an empty service;
    // effects; condition literals.
    let checks_resources = !matches!(kind, PolicyKind::Resource | PolicyKind::Trust);
    for raw in raws.iter().filter(|_| checks_resources) {
        if let Some((_, list)) = &raw.resource
            && list.values.iter().any(|r| !legacy_resource_ok(r))
        {
            return Err(PolicyError::malformed(messages::LEGACY_PARSING));
        }
    }
    let mut effects = Vec::with_capacity(raws.len());
    let mut conditions = Vec::with_capacity(raws.len());
    for raw in &raws {
        effects.push(match raw.effect {
            "Allow" => Effect::Allow,
            "Deny" => Effect::Deny,
            _ => return Err(PolicyError::malformed(messages::LEGACY_PARSING)),
        });
        conditions.push(match &raw.condition {
            None => None,
            Some(blocks) => Some(compile_condition(blocks, modern)?),
        });
    }

    // 4. Sid uniqueness.
    for (i, raw) in raws.iter().enumerate() {
        if let Some(sid) = raw.sid.as_deref().filter(|s| !s.is_empty())
            && raws
                .iter()
                .skip(i + 1)
                .any(|o| o.sid.as_deref() == Some(sid))
        {
            return Err(PolicyError::malformed(messages::SID_UNIQUE));
        }
    }

    // 5. Actions and resources present.
    let needs_resource = kind.is_identity_type()
        || matches!(
            kind,
            PolicyKind::ServiceControl | PolicyKind::ResourceControl
        );
    for raw in &raws {
        if raw.action.as_ref().is_none_or(|(_, l)| l.values.is_empty()) {
            return Err(PolicyError::malformed(messages::MISSING_ACTIONS));
        }
        if needs_resource
            && raw
                .resource
                .as_ref()
                .is_none_or(|(_, l)| l.values.is_empty())
        {
            // A malformed action is reported before the missing resource.
            if let Some((_, list)) = &raw.action {
                for a in &list.values {
                    check_action(a)?;
                }
            }
            return Err(PolicyError::malformed(messages::MISSING_RESOURCES));
        }
    }

    // 6. Formats: resources, then actions, then Sid characters.
    if checks_resources {
        for raw in &raws {
            if let Some((_, list)) = &raw.resource {
                for r in &list.values {
                    check_resource(r)?;
                }
            }
        }
    }
    for raw in &raws {
        if let Some((_, list)) = &raw.action {
            for a in &list.values {
                check_action(a)?;
            }
        }
    }
    if matches!(
        kind,
        PolicyKind::Identity
            | PolicyKind::Managed
            | PolicyKind::PermissionsBoundary
            | PolicyKind::Session
            | PolicyKind::Trust
    ) {
        for raw in &raws {
            if raw
                .sid
                .as_deref()
                .is_some_and(|s| !s.chars().all(|c| c.is_ascii_alphanumeric()))
            {
                return Err(PolicyError::malformed(messages::SID_CHARSET));
            }
        }
    }

    // 7. Principal rules of resource-type documents.
    if kind.has_principal() {
        for raw in &raws {
            check_resource_type_statement(raw, kind)?;
        }
    }

    // 8. Principals in documents that cannot carry one.
    for raw in &raws {
        if raw.principal.is_some() {
            if kind.is_identity_type() {
                return Err(PolicyError::malformed(messages::IDENTITY_PRINCIPAL));
            }
            if kind == PolicyKind::ServiceControl {
                return Err(syntax());
            }
        }
    }

    // Compile.
    let statements = raws
        .into_iter()
        .zip(effects)
        .zip(conditions)
        .map(|((raw, effect), condition)| compile_statement(raw, effect, condition, modern))
        .collect();
    Ok(Document {
        version,
        id,
        statements,
        statement_is_list,
    })
}

fn compile_condition(blocks: &RawCondition, variables: bool) -> Result<Condition, PolicyError> {
    let mut out = Vec::with_capacity(blocks.len());
    for (name, op, keys) in blocks {
        let mut compiled = Vec::with_capacity(keys.len());
        for (key, list) in keys {
            let values = Values::compile(op.family, &list.values, variables)
                .ok_or_else(|| PolicyError::malformed(messages::LEGACY_PARSING))?;
            compiled.push(KeyCondition {
                name: key.clone(),
                lower: key.to_ascii_lowercase(),
                raw: list.values.clone(),
                raw_is_list: list.is_list,
                values,
            });
        }
        out.push(OperatorBlock {
            name: name.clone(),
            op: *op,
            keys: compiled,
        });
    }
    Ok(Condition { blocks: out })
}

fn check_action(action: &str) -> Result<(), PolicyError> {
    if action == "*" {
        return Ok(());
    }
    let mut parts = action.split(':');
    let vendor = parts.next().unwrap_or_default();
    match (parts.next(), parts.next()) {
        (None, _) => Err(PolicyError::malformed(messages::ACTION_VENDOR)),
        (Some(_), Some(_)) => Err(PolicyError::malformed(messages::ACTION_ONE_COLON)),
        (Some(_), None) => {
            if vendor.is_empty() {
                Err(PolicyError::malformed(messages::ACTION_VENDOR))
            } else if vendor
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '*' | '?'))
            {
                Ok(())
            } else {
                Err(PolicyError::malformed(messages::vendor(vendor)))
            }
        }
    }
}

/// Whether legacy parsing accepts a resource: a value starting with `arn:` needs three
/// fields (`arn:aws:fdsasf` is accepted) or six with a service; four or five fail
/// (`arn:aws::fdsasf`, `arn:aws:s3::bucket`), as do six with an empty service
/// (`arn:aws::::bucket`). A resource of an unknown partition is left to the partition check.
/// AWS's answers recorded in moto's `test_iam_policies.py`.
fn legacy_resource_ok(resource: &str) -> bool {
    if !resource.starts_with("arn:") {
        return true;
    }
    let fields: Vec<&str> = resource.splitn(6, ':').collect();
    if fields
        .get(1)
        .is_some_and(|p| !PARTITIONS.contains(p) && !p.contains(['*', '?']))
    {
        return true;
    }
    match fields.len() {
        4 | 5 => false,
        6 => fields.get(2).is_some_and(|service| !service.is_empty()),
        _ => true,
    }
}

fn check_resource(resource: &str) -> Result<(), PolicyError> {
    if resource == "*" {
        return Ok(());
    }
    let fields: Vec<&str> = resource.splitn(6, ':').collect();
    let (Some(first), Some(partition)) = (fields.first(), fields.get(1)) else {
        return Err(PolicyError::malformed(messages::resource_format(resource)));
    };
    // Wildcarded partitions (`arn:*:iam::…`, common in SCPs) are accepted (*choice*).
    let known_partition = PARTITIONS.contains(partition) || partition.contains(['*', '?']);
    if *first != "arn" {
        if known_partition {
            return Err(PolicyError::malformed(messages::resource_format(resource)));
        }
        // AWS reads any `x:y…` as an ARN whose partition is `y` and names it with its first
        // field replaced by `arn` and missing fields as `*` (`a:b` → `arn:b:*:*:*:*`).
        let mut shown: Vec<&str> = std::iter::once("arn")
            .chain(fields.iter().skip(1).copied())
            .collect();
        shown.resize(shown.len().max(6), "*");
        return Err(PolicyError::malformed(messages::partition(
            partition,
            &shown.join(":"),
        )));
    }
    if !known_partition {
        return Err(PolicyError::malformed(messages::partition(
            partition, resource,
        )));
    }
    let service = fields.get(2).copied().unwrap_or_default();
    if service.is_empty() || service.contains(['*', '?']) {
        return Err(PolicyError::malformed(messages::RESOURCE_VENDOR));
    }
    // `arn:aws:fdsasf`: a shortened ARN passed legacy parsing and is accepted as it is.
    let (Some(region), Some(account), Some(rest)) = (
        fields.get(3).copied(),
        fields.get(4).copied(),
        fields.get(5).copied(),
    ) else {
        return Ok(());
    };
    if service == "iam" {
        if !region.is_empty() {
            return Err(PolicyError::malformed(messages::iam_region(resource)));
        }
        if rest != "*"
            && rest != "root"
            && !IAM_RESOURCE_PREFIXES.iter().any(|p| rest.starts_with(p))
        {
            return Err(PolicyError::malformed(messages::IAM_RESOURCE_PATH));
        }
    }
    // A bucket or object ARN has neither region nor account; access points and other S3
    // resources with an account carry their region.
    if service == "s3" && !region.is_empty() && account.is_empty() {
        return Err(PolicyError::malformed(messages::s3_region(resource)));
    }
    Ok(())
}

fn check_resource_type_statement(
    raw: &RawStatement<'_>,
    kind: PolicyKind,
) -> Result<(), PolicyError> {
    let Some((negated, principal)) = raw.principal else {
        return Err(PolicyError::malformed(messages::MISSING_PRINCIPAL));
    };
    match kind {
        PolicyKind::Trust => {
            if negated {
                return Err(PolicyError::malformed(messages::TRUST_NOT_PRINCIPAL));
            }
            if let Some((res_negated, _)) = &raw.resource {
                return Err(PolicyError::malformed(if *res_negated {
                    messages::TRUST_NOT_RESOURCE
                } else {
                    messages::TRUST_RESOURCE
                }));
            }
            if matches!(principal, Json::String(_)) {
                return Err(PolicyError::malformed(messages::TRUST_STAR_PRINCIPAL));
            }
            check_principal_values(principal)?;
            if let Some((action_negated, list)) = &raw.action {
                let ok = !action_negated
                    && list.values.iter().all(|a| {
                        let g = Glob::new(a, true);
                        TRUST_ACTIONS.iter().any(|t| g.matches(t, true))
                    });
                if !ok {
                    return Err(PolicyError::malformed(messages::TRUST_ACTIONS));
                }
            }
            Ok(())
        }
        PolicyKind::ResourceControl => {
            let star = match principal {
                Json::String(s) => s == "*",
                Json::Object(entries) => {
                    matches!(entries.as_slice(), [(k, Json::String(v))] if k == "AWS" && v == "*")
                }
                _ => false,
            };
            if negated || !star {
                Err(syntax())
            } else {
                Ok(())
            }
        }
        _ => check_principal_values(principal),
    }
}

fn check_principal_values(principal: &Json) -> Result<(), PolicyError> {
    let Json::Object(entries) = principal else {
        return Ok(());
    };
    for (kind, values) in entries {
        let list = string_list(values, false).ok_or_else(syntax)?;
        for v in &list.values {
            let valid = match kind.as_str() {
                "AWS" => aws_matcher(v).is_some(),
                _ => !v.is_empty(),
            };
            if !valid {
                return Err(PolicyError::malformed(messages::invalid_principal(kind, v)));
            }
        }
    }
    Ok(())
}

fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// Classifies an `"AWS"` principal value; `None` when AWS would reject it (partial wildcards,
/// unknown shapes).
pub(crate) fn aws_matcher(v: &str) -> Option<PrincipalMatcher> {
    if v == "*" {
        return Some(PrincipalMatcher::Any);
    }
    if is_account_id(v) {
        return Some(PrincipalMatcher::Account(v.to_owned()));
    }
    if v.contains(['*', '?']) {
        return None;
    }
    if let Some([_, _, service, _, account, rest]) = split_arn(v) {
        if !v.starts_with("arn:") || !is_account_id(account) {
            return None;
        }
        return match service {
            "iam" if rest == "root" => Some(PrincipalMatcher::Account(account.to_owned())),
            "iam" if rest.starts_with("user/") => Some(PrincipalMatcher::User(v.to_owned())),
            "iam" if rest.starts_with("role/") => Some(PrincipalMatcher::Role(v.to_owned())),
            "sts" if rest.starts_with("assumed-role/") => {
                Some(PrincipalMatcher::Session(v.to_owned()))
            }
            "sts" if rest.starts_with("federated-user/") => {
                Some(PrincipalMatcher::FederatedUser(v.to_owned()))
            }
            _ => None,
        };
    }
    // Unique ids: AIDA…, AROA…, etc.
    if v.len() >= 16
        && v.starts_with('A')
        && v.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    {
        return Some(PrincipalMatcher::UniqueId(v.to_owned()));
    }
    None
}

fn compile_principal(negated: bool, principal: &Json) -> PrincipalElement {
    match principal {
        Json::Object(entries) => PrincipalElement {
            negated,
            bare_star: false,
            entries: entries
                .iter()
                .filter_map(|(kind, values)| {
                    let values = string_list(values, false)?;
                    let matchers = values
                        .values
                        .iter()
                        .map(|v| match kind.as_str() {
                            "AWS" => aws_matcher(v).unwrap_or(PrincipalMatcher::Other),
                            _ if v == "*" => PrincipalMatcher::Any,
                            "Service" => PrincipalMatcher::Service(v.clone()),
                            "Federated" => PrincipalMatcher::Federated(v.clone()),
                            _ => PrincipalMatcher::Other,
                        })
                        .collect();
                    Some(PrincipalEntry {
                        kind: kind.clone(),
                        values,
                        matchers,
                    })
                })
                .collect(),
        },
        _ => PrincipalElement {
            negated,
            bare_star: true,
            entries: Vec::new(),
        },
    }
}

fn compile_statement(
    raw: RawStatement<'_>,
    effect: Effect,
    condition: Option<Condition>,
    variables: bool,
) -> Statement {
    let (action_negated, actions) = raw.action.unwrap_or((
        false,
        StringList {
            values: Vec::new(),
            is_list: true,
        },
    ));
    let globs = actions.values.iter().map(|a| Glob::new(a, true)).collect();
    Statement {
        sid: raw.sid.map(Arc::from),
        effect,
        principal: raw
            .principal
            .map(|(negated, p)| compile_principal(negated, p)),
        action: ActionElement {
            negated: action_negated,
            values: actions,
            globs,
        },
        resource: raw.resource.map(|(negated, values)| {
            let patterns = values
                .values
                .iter()
                .map(|r| ArnPattern::new(r, variables, true))
                .collect();
            ResourceElement {
                negated,
                values,
                patterns,
            }
        }),
        condition,
    }
}
