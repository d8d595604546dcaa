//! The policy grammar: the parsed [`Policy`] and its statements, reading a JSON tree into
//! that shape, and printing it back.
//!
//! Owns `policy-language.md` §2 (document shape) and the syntax-level errors ("Syntax errors
//! in policy."); the semantic checks per policy kind, in AWS's order, are in `validate`. The
//! original text is kept verbatim because IAM returns documents as submitted.

use std::fmt::Write as _;
use std::sync::Arc;

use crate::arn::ArnPattern;
use crate::condition::Condition;
use crate::error::{PolicyError, messages};
use crate::json::{self, Json};
use crate::pattern::Glob;
use crate::validate;

/// Which API carries the document; decides the validation rules and size limit
/// (`policy-language.md` §1, §9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PolicyKind {
    /// An inline identity policy (`Put{User,Group,Role}Policy`). Its size limit is the
    /// aggregate per entity, checked by the caller with [`Policy::size`] and
    /// [`crate::inline_policy_size_error`].
    Identity,
    /// A managed policy version (`CreatePolicy`, `CreatePolicyVersion`): 6,144 characters,
    /// `Version` 2012-10-17 required.
    Managed,
    /// A resource policy of another service (S3, SQS, KMS…): `Principal` required.
    Resource,
    /// A role trust policy (`AssumeRolePolicyDocument`): 2,048 characters.
    Trust,
    /// A service control policy: 5,120 characters, no `Principal`.
    ServiceControl,
    /// A resource control policy: 5,120 characters, `Principal` must be `"*"`.
    ResourceControl,
    /// A managed policy used as a permissions boundary (validated like an inline identity
    /// policy: it was validated as managed when created).
    PermissionsBoundary,
    /// A session policy passed to `AssumeRole*` / `GetFederationToken`: 2,048 characters.
    Session,
}

impl PolicyKind {
    /// Identity-type documents never name a principal and must name resources.
    #[must_use]
    pub fn is_identity_type(self) -> bool {
        matches!(
            self,
            PolicyKind::Identity
                | PolicyKind::Managed
                | PolicyKind::PermissionsBoundary
                | PolicyKind::Session
        )
    }

    /// Documents carrying a `Principal` element.
    #[must_use]
    pub fn has_principal(self) -> bool {
        matches!(
            self,
            PolicyKind::Resource | PolicyKind::Trust | PolicyKind::ResourceControl
        )
    }
}

/// `Allow` or `Deny`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Effect {
    /// Grants, subject to the other policy sets.
    Allow,
    /// Denies, overriding every allow.
    Deny,
}

impl Effect {
    /// `"Allow"` or `"Deny"`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        }
    }
}

/// A list of strings as written: one bare string or an array.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StringList {
    pub(crate) values: Vec<String>,
    pub(crate) is_list: bool,
}

impl StringList {
    fn write(&self, out: &mut String) {
        match self.values.as_slice() {
            [one] if !self.is_list => json::write_string(out, one),
            values => {
                out.push('[');
                for (i, v) in values.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    json::write_string(out, v);
                }
                out.push(']');
            }
        }
    }
}

/// How a `Principal` value is matched (precomputed from its text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PrincipalMatcher {
    /// `*`: everyone.
    Any,
    /// An account (`123456789012` or `arn:…:iam::123456789012:root`).
    Account(String),
    /// `arn:…:iam::A:user/…`
    User(String),
    /// `arn:…:iam::A:role/…`
    Role(String),
    /// `arn:…:sts::A:assumed-role/R/s`
    Session(String),
    /// `arn:…:sts::A:federated-user/N`
    FederatedUser(String),
    /// A unique id (`AIDA…`, `AROA…`).
    UniqueId(String),
    /// A service principal name.
    Service(String),
    /// A SAML/OIDC provider ARN or well-known web-identity provider.
    Federated(String),
    /// Anything else (canonical users, unknown ARNs): never matches an IAM caller.
    Other,
}

/// One `"AWS": […]`, `"Service": […]` … entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PrincipalEntry {
    pub(crate) kind: String,
    pub(crate) values: StringList,
    pub(crate) matchers: Vec<PrincipalMatcher>,
}

/// The `Principal` or `NotPrincipal` element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PrincipalElement {
    pub(crate) negated: bool,
    /// Written as the bare string `"*"`.
    pub(crate) bare_star: bool,
    pub(crate) entries: Vec<PrincipalEntry>,
}

/// The `Action` or `NotAction` element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ActionElement {
    pub(crate) negated: bool,
    pub(crate) values: StringList,
    pub(crate) globs: Vec<Glob>,
}

/// The `Resource` or `NotResource` element.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ResourceElement {
    pub(crate) negated: bool,
    pub(crate) values: StringList,
    pub(crate) patterns: Vec<ArnPattern>,
}

/// One statement of a policy.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub(crate) sid: Option<Arc<str>>,
    pub(crate) effect: Effect,
    pub(crate) principal: Option<PrincipalElement>,
    pub(crate) action: ActionElement,
    pub(crate) resource: Option<ResourceElement>,
    /// `None` when the statement has no `Condition` element.
    pub(crate) condition: Option<Condition>,
}

impl Statement {
    /// The statement id, if any.
    #[must_use]
    pub fn sid(&self) -> Option<&str> {
        self.sid.as_deref()
    }

    /// `Allow` or `Deny`.
    #[must_use]
    pub fn effect(&self) -> Effect {
        self.effect
    }

    /// The IAM user and role ARNs its `Principal` (or `NotPrincipal`) names under `"AWS"`,
    /// as written (the principals IAM resolves to unique ids when a policy is stored).
    ///
    /// ```
    /// use rampart_policy::{Policy, PolicyKind};
    /// let text = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole",
    ///     "Principal":{"AWS":["arn:aws:iam::111111111111:user/ops/alice","111111111111"]}}]}"#;
    /// let policy = Policy::parse(text, PolicyKind::Trust).unwrap();
    /// let arns: Vec<&str> = policy.document().statements()[0].iam_principal_arns().collect();
    /// assert_eq!(arns, ["arn:aws:iam::111111111111:user/ops/alice"]);
    /// ```
    pub fn iam_principal_arns(&self) -> impl Iterator<Item = &str> {
        self.principal
            .iter()
            .flat_map(|p| p.entries.iter())
            .filter(|e| e.kind == "AWS")
            .flat_map(|e| e.values.values.iter().zip(e.matchers.iter()))
            .filter(|(_, m)| matches!(m, PrincipalMatcher::User(_) | PrincipalMatcher::Role(_)))
            .map(|(v, _)| v.as_str())
    }

    /// The `Action`/`NotAction` values as written, and whether it is `NotAction`.
    #[must_use]
    pub fn actions(&self) -> (&[String], bool) {
        (&self.action.values.values, self.action.negated)
    }

    /// Whether the statement's `Action` (or `NotAction`) element covers `action`
    /// (`service:Name`, matched case-insensitively with wildcards as evaluation does);
    /// resources and conditions are not considered.
    ///
    /// ```
    /// use rampart_policy::{Policy, PolicyKind};
    /// let text = r#"{"Version":"2012-10-17","Statement":[
    ///     {"Effect":"Allow","Action":"s3:Get*","Resource":"*"}]}"#;
    /// let policy = Policy::parse(text, PolicyKind::Identity).unwrap();
    /// let statement = &policy.document().statements()[0];
    /// assert!(statement.applies_to_action("s3:GetObject"));
    /// assert!(!statement.applies_to_action("s3:PutObject"));
    /// ```
    #[must_use]
    pub fn applies_to_action(&self, action: &str) -> bool {
        let hit = self.action.globs.iter().any(|g| g.matches(action, true));
        hit != self.action.negated
    }

    /// The `Resource`/`NotResource` values as written, and whether it is `NotResource`.
    #[must_use]
    pub fn resources(&self) -> Option<(&[String], bool)> {
        self.resource
            .as_ref()
            .map(|r| (r.values.values.as_slice(), r.negated))
    }

    /// True when the statement has a `Condition` element.
    #[must_use]
    pub fn has_condition(&self) -> bool {
        self.condition.is_some()
    }

    /// The condition keys the statement tests (as written), for `MissingContextValues`.
    pub fn condition_keys(&self) -> impl Iterator<Item = &str> {
        self.condition
            .iter()
            .flat_map(|c| c.blocks.iter())
            .flat_map(|b| b.keys.iter())
            .map(|k| k.name.as_str())
    }
}

/// The parsed content of a policy document.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub(crate) version: Option<String>,
    pub(crate) id: Option<String>,
    pub(crate) statements: Vec<Statement>,
    pub(crate) statement_is_list: bool,
}

impl Document {
    /// The `Version` value, if present.
    #[must_use]
    pub fn version(&self) -> Option<&str> {
        self.version.as_deref()
    }

    /// The `Id` value, if present.
    #[must_use]
    pub fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }

    /// The statements in document order.
    #[must_use]
    pub fn statements(&self) -> &[Statement] {
        &self.statements
    }

    /// Prints the document as compact JSON in canonical key order (`Version`, `Id`,
    /// `Statement`; `Sid`, `Effect`, `Principal`, `Action`, `Resource`, `Condition`).
    /// Parsing the output yields an equal document.
    #[must_use]
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(256);
        out.push('{');
        let mut first = true;
        let mut key = |out: &mut String, k: &str| {
            if !first {
                out.push(',');
            }
            first = false;
            json::write_string(out, k);
            out.push(':');
        };
        if let Some(v) = &self.version {
            key(&mut out, "Version");
            json::write_string(&mut out, v);
        }
        if let Some(id) = &self.id {
            key(&mut out, "Id");
            json::write_string(&mut out, id);
        }
        key(&mut out, "Statement");
        match self.statements.as_slice() {
            [one] if !self.statement_is_list => write_statement(&mut out, one),
            all => {
                out.push('[');
                for (i, s) in all.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_statement(&mut out, s);
                }
                out.push(']');
            }
        }
        out.push('}');
        out
    }
}

fn write_statement(out: &mut String, s: &Statement) {
    out.push('{');
    if let Some(sid) = &s.sid {
        out.push_str("\"Sid\":");
        json::write_string(out, sid);
        out.push(',');
    }
    out.push_str("\"Effect\":");
    json::write_string(out, s.effect.as_str());
    if let Some(p) = &s.principal {
        out.push_str(if p.negated {
            ",\"NotPrincipal\":"
        } else {
            ",\"Principal\":"
        });
        if p.bare_star {
            out.push_str("\"*\"");
        } else {
            out.push('{');
            for (i, e) in p.entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json::write_string(out, &e.kind);
                out.push(':');
                e.values.write(out);
            }
            out.push('}');
        }
    }
    out.push_str(if s.action.negated {
        ",\"NotAction\":"
    } else {
        ",\"Action\":"
    });
    s.action.values.write(out);
    if let Some(r) = &s.resource {
        out.push_str(if r.negated {
            ",\"NotResource\":"
        } else {
            ",\"Resource\":"
        });
        r.values.write(out);
    }
    if let Some(c) = &s.condition {
        out.push_str(",\"Condition\":{");
        for (i, b) in c.blocks.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            json::write_string(out, &b.name);
            out.push_str(":{");
            for (j, k) in b.keys.iter().enumerate() {
                if j > 0 {
                    out.push(',');
                }
                json::write_string(out, &k.name);
                out.push(':');
                StringList {
                    values: k.raw.clone(),
                    is_list: k.raw_is_list,
                }
                .write(out);
            }
            out.push('}');
        }
        let _ = write!(out, "}}");
    }
    out.push('}');
}

/// A parsed, validated policy together with the text it was parsed from.
#[derive(Debug, Clone)]
pub struct Policy {
    text: String,
    kind: PolicyKind,
    document: Document,
}

impl PartialEq for Policy {
    /// Policies are equal when their kind and parsed content are; whitespace and key order of
    /// the original text do not matter.
    fn eq(&self, other: &Self) -> bool {
        self.kind == other.kind && self.document == other.document
    }
}

impl Policy {
    /// Parses and validates `text` as a policy of `kind`, with AWS's error messages in AWS's
    /// order (`policy-language.md` §9.2).
    ///
    /// ```
    /// use rampart_policy::{Policy, PolicyKind};
    /// let p = Policy::parse(
    ///     r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iam:*","Resource":"*"}}"#,
    ///     PolicyKind::Managed,
    /// )?;
    /// assert_eq!(p.document().statements().len(), 1);
    /// let err = Policy::parse(r#"{"Statement":[]}"#, PolicyKind::Identity).unwrap_err();
    /// assert_eq!(err.message(), "Syntax errors in policy.");
    /// # Ok::<(), rampart_policy::PolicyError>(())
    /// ```
    ///
    /// # Errors
    /// [`PolicyError::Malformed`] for an invalid document, [`PolicyError::LimitExceeded`] (or
    /// the Organizations / STS equivalents) when it is too large for its kind.
    pub fn parse(text: &str, kind: PolicyKind) -> Result<Policy, PolicyError> {
        Policy::parse_with_limit(text, kind, None)
    }

    /// Like [`Policy::parse`], with the size quota of `kind` replaced by `limit` when given
    /// (the role trust-policy quota `ACLSizePerRole` is raisable, up to 4,096).
    ///
    /// ```
    /// use rampart_policy::{Policy, PolicyKind};
    /// let statement = r#"{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}"#;
    /// let text = format!(r#"{{"Version":"2012-10-17","Statement":[{}]}}"#, vec![statement; 30].join(","));
    /// assert!(Policy::parse(&text, PolicyKind::Trust).is_err());
    /// assert!(Policy::parse_with_limit(&text, PolicyKind::Trust, Some(4096)).is_ok());
    /// ```
    ///
    /// # Errors
    /// As [`Policy::parse`].
    pub fn parse_with_limit(
        text: &str,
        kind: PolicyKind,
        limit: Option<usize>,
    ) -> Result<Policy, PolicyError> {
        validate::check_text(text, kind, limit)?;
        let tree = json::parse(text).map_err(|_| PolicyError::malformed(messages::SYNTAX))?;
        let document = validate::build(tree, kind)?;
        Ok(Policy {
            text: text.to_owned(),
            kind,
            document,
        })
    }

    /// The document exactly as submitted.
    #[must_use]
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The kind it was validated as.
    #[must_use]
    pub fn kind(&self) -> PolicyKind {
        self.kind
    }

    /// The parsed content.
    #[must_use]
    pub fn document(&self) -> &Document {
        &self.document
    }

    /// The size AWS counts against quotas: characters outside JSON whitespace
    /// (`policy-language.md` §9.1).
    #[must_use]
    pub fn size(&self) -> usize {
        json::non_whitespace_len(&self.text)
    }

    /// Every `"AWS"` principal value (ARNs, account ids, unique ids), for the trust-policy
    /// check that named users and roles exist.
    pub fn aws_principals(&self) -> impl Iterator<Item = &str> {
        self.document
            .statements
            .iter()
            .filter_map(|s| s.principal.as_ref())
            .flat_map(|p| p.entries.iter())
            .filter(|e| e.kind == "AWS")
            .flat_map(|e| e.values.values.iter())
            .map(String::as_str)
    }
}

/// A JSON value that must be a string or an array of strings; `None` = wrong type.
pub(crate) fn string_list(v: &Json, allow_scalars: bool) -> Option<StringList> {
    let scalar = |v: &Json| match v {
        Json::String(s) => Some(s.clone()),
        Json::Number(n) if allow_scalars => Some(n.clone()),
        Json::Bool(b) if allow_scalars => Some(b.to_string()),
        _ => None,
    };
    match v {
        Json::Array(items) => Some(StringList {
            values: items.iter().map(scalar).collect::<Option<Vec<_>>>()?,
            is_list: true,
        }),
        other => Some(StringList {
            values: vec![scalar(other)?],
            is_list: false,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_kept_verbatim_and_printing_is_canonical() {
        let text = "{ \"Statement\" : [ {\"Resource\":\"*\", \"Action\":[\"iam:Get*\"], \"Effect\":\"Allow\", \"Sid\":\"X\"} ],\n \"Version\":\"2012-10-17\" }";
        let p = Policy::parse(text, PolicyKind::Identity).unwrap();
        assert_eq!(p.text(), text);
        assert_eq!(
            p.document().to_json(),
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"X","Effect":"Allow","Action":["iam:Get*"],"Resource":"*"}]}"#
        );
        assert_eq!(
            p.size(),
            text.chars().filter(|c| !c.is_whitespace()).count()
        );
    }

    #[test]
    fn printing_keeps_principals_and_conditions() {
        let text = r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","NotPrincipal":{"AWS":["111111111111"]},"NotAction":"s3:*","NotResource":"arn:aws:s3:::b","Condition":{"NumericLessThan":{"k:n":5},"Bool":{"aws:SecureTransport":false}}}}"#;
        let p = Policy::parse(text, PolicyKind::Resource).unwrap();
        let printed = p.document().to_json();
        assert_eq!(
            printed,
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","NotPrincipal":{"AWS":["111111111111"]},"NotAction":"s3:*","NotResource":"arn:aws:s3:::b","Condition":{"NumericLessThan":{"k:n":"5"},"Bool":{"aws:SecureTransport":"false"}}}}"#
        );
        assert_eq!(Policy::parse(&printed, PolicyKind::Resource).unwrap(), p);
        assert_eq!(p.aws_principals().collect::<Vec<_>>(), ["111111111111"]);
    }
}
