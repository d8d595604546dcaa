//! The request context: who calls, which action on which resource, and the condition keys.
//!
//! The server builds one [`RequestContext`] per authorization question from the authenticated
//! caller and the decoded input (`policy-language.md` §8 lists the keys). This module only
//! stores values; it never reads the clock: the current time arrives as the `aws:CurrentTime`
//! and `aws:EpochTime` keys ([`RequestContext::with_time`]).

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};
use std::net::IpAddr;

/// A point in time with nanosecond precision, as used by the `Date*` condition operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    secs: i64,
    nanos: u32,
}

impl Timestamp {
    /// The instant `secs` seconds after 1970-01-01T00:00:00Z.
    ///
    /// ```
    /// # use rampart_policy::Timestamp;
    /// assert_eq!(Timestamp::from_epoch_seconds(0), Timestamp::parse("1970-01-01T00:00:00Z").unwrap());
    /// ```
    #[must_use]
    pub fn from_epoch_seconds(secs: i64) -> Timestamp {
        Timestamp { secs, nanos: 0 }
    }

    /// Seconds since the epoch (rounded down).
    #[must_use]
    pub fn epoch_seconds(&self) -> i64 {
        self.secs
    }

    /// Parses the W3C ISO-8601 profile AWS accepts (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`,
    /// `…Thh:mm`, `…Thh:mm:ss`, fractional seconds, `Z` or `±hh:mm`) or epoch seconds
    /// (`policy-language.md` §6.2). A date-time without a zone designator is read as UTC.
    #[must_use]
    pub fn parse(text: &str) -> Option<Timestamp> {
        parse_timestamp(text)
    }

    /// Formats as `YYYY-MM-DDThh:mm:ssZ` (fraction omitted).
    #[must_use]
    pub fn to_iso8601(&self) -> String {
        let days = self.secs.div_euclid(86_400);
        let rem = self.secs.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
            rem / 3600,
            (rem % 3600) / 60,
            rem % 60
        )
    }
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    // Howard Hinnant's algorithm (public domain description, reimplemented).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn fixed_digits(s: &str, n: usize) -> Option<i64> {
    if s.len() == n && s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().ok()
    } else {
        None
    }
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ => {
            if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 {
                29
            } else {
                28
            }
        }
    }
}

fn parse_timestamp(text: &str) -> Option<Timestamp> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    // Epoch seconds: an optionally signed decimal number that is not a bare year.
    let numeric = text.strip_prefix('-').unwrap_or(text);
    if numeric.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && numeric.bytes().filter(|b| *b == b'.').count() <= 1
        && !(text.len() == 4 && numeric.bytes().all(|b| b.is_ascii_digit()))
    {
        let value: f64 = text.parse().ok()?;
        if !value.is_finite() || value.abs() > 1e15 {
            return None;
        }
        let secs = value.floor();
        #[expect(
            clippy::cast_possible_truncation,
            reason = "bounded by the 1e15 check above"
        )]
        let whole = secs as i64;
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "fraction in [0,1)"
        )]
        let nanos = ((value - secs) * 1e9) as u32;
        return Some(Timestamp {
            secs: whole,
            nanos: nanos.min(999_999_999),
        });
    }
    let (date, time) = match text.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (text, None),
    };
    let mut parts = date.split('-');
    let year = fixed_digits(parts.next()?, 4)?;
    let month = match parts.next() {
        Some(m) => fixed_digits(m, 2)?,
        None => 1,
    };
    let day = match parts.next() {
        Some(d) => fixed_digits(d, 2)?,
        None => 1,
    };
    if parts.next().is_some()
        || !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
    {
        return None;
    }
    let mut secs = days_from_civil(year, month, day) * 86_400;
    let mut nanos = 0u32;
    if let Some(time) = time {
        if date.len() != 10 {
            return None;
        }
        let (clock, offset) = split_zone(time)?;
        let mut fields = clock.split(':');
        let hh = fixed_digits(fields.next()?, 2)?;
        let mm = fixed_digits(fields.next()?, 2)?;
        let mut ss = 0;
        if let Some(sec) = fields.next() {
            let (whole, frac) = match sec.split_once('.') {
                Some((w, f)) => (w, Some(f)),
                None => (sec, None),
            };
            ss = fixed_digits(whole, 2)?;
            if let Some(frac) = frac {
                if frac.is_empty() || !frac.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                let mut n: u32 = 0;
                for (idx, b) in frac.bytes().take(9).enumerate() {
                    let digit = u32::from(b - b'0');
                    n += digit * 10u32.pow(8 - u32::try_from(idx).ok()?);
                }
                nanos = n;
            }
        }
        if fields.next().is_some() || hh > 23 || mm > 59 || ss > 60 {
            return None;
        }
        secs += hh * 3600 + mm * 60 + ss - offset;
    }
    Some(Timestamp { secs, nanos })
}

/// Splits `hh:mm[:ss[.f]]` from its zone designator; returns the offset in seconds.
fn split_zone(time: &str) -> Option<(&str, i64)> {
    if let Some(clock) = time.strip_suffix('Z').or_else(|| time.strip_suffix('z')) {
        return Some((clock, 0));
    }
    if let Some(pos) = time.rfind(['+', '-']) {
        let clock = time.get(..pos)?;
        let zone = time.get(pos..)?;
        let sign = if zone.starts_with('-') { -1 } else { 1 };
        let (h, m) = zone.get(1..)?.split_once(':')?;
        let offset = fixed_digits(h, 2)? * 3600 + fixed_digits(m, 2)? * 60;
        return Some((clock, sign * offset));
    }
    Some((time, 0))
}

/// A value of a condition key in the request context.
///
/// Multivalued keys (`aws:TagKeys`, `aws:PrincipalOrgPaths`, …) are [`ContextValue::List`];
/// every other variant is a single value. Operators convert as AWS does: strings are parsed
/// for numeric, date, IP and boolean comparisons; booleans and numbers compare as their string
/// form in string operators.
#[derive(Debug, Clone, PartialEq)]
pub enum ContextValue {
    /// A string (also ARNs).
    String(String),
    /// A boolean (`aws:SecureTransport`, `aws:MultiFactorAuthPresent`, …).
    Bool(bool),
    /// A number (`aws:MultiFactorAuthAge`, `aws:EpochTime`).
    Number(f64),
    /// An instant (`aws:CurrentTime`, `aws:TokenIssueTime`).
    Date(Timestamp),
    /// An IP address (`aws:SourceIp`).
    Ip(IpAddr),
    /// Raw bytes for `BinaryEquals`.
    Binary(Vec<u8>),
    /// The values of a multivalued key; may be empty ("present, no values").
    List(Vec<ContextValue>),
}

impl ContextValue {
    /// Builds a multivalued string key (`aws:TagKeys` …).
    #[must_use]
    pub fn strings<I, S>(values: I) -> ContextValue
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        ContextValue::List(
            values
                .into_iter()
                .map(|s| ContextValue::String(s.into()))
                .collect(),
        )
    }

    /// The string form of a single value (`None` for lists and binary data).
    #[must_use]
    pub fn as_text(&self) -> Option<Cow<'_, str>> {
        match self {
            ContextValue::String(s) => Some(Cow::Borrowed(s)),
            ContextValue::Bool(true) => Some(Cow::Borrowed("true")),
            ContextValue::Bool(false) => Some(Cow::Borrowed("false")),
            ContextValue::Number(n) => Some(Cow::Owned(format_number(*n))),
            ContextValue::Date(t) => Some(Cow::Owned(t.to_iso8601())),
            ContextValue::Ip(ip) => Some(Cow::Owned(ip.to_string())),
            ContextValue::Binary(_) => None,
            ContextValue::List(items) => match items.as_slice() {
                [one] => one.as_text(),
                _ => None,
            },
        }
    }
}

fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{n:.0}")
    } else {
        format!("{n}")
    }
}

impl From<&str> for ContextValue {
    fn from(s: &str) -> Self {
        ContextValue::String(s.to_owned())
    }
}

impl From<String> for ContextValue {
    fn from(s: String) -> Self {
        ContextValue::String(s)
    }
}

impl From<bool> for ContextValue {
    fn from(b: bool) -> Self {
        ContextValue::Bool(b)
    }
}

impl From<f64> for ContextValue {
    fn from(n: f64) -> Self {
        ContextValue::Number(n)
    }
}

impl From<IpAddr> for ContextValue {
    fn from(ip: IpAddr) -> Self {
        ContextValue::Ip(ip)
    }
}

impl From<Timestamp> for ContextValue {
    fn from(t: Timestamp) -> Self {
        ContextValue::Date(t)
    }
}

/// What kind of caller makes the request (`policy-evaluation.md` §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PrincipalKind {
    /// The root user of the account (also `sts:AssumeRoot` sessions).
    Root,
    /// An IAM user (long-term keys or a `GetSessionToken` session of the user).
    User,
    /// A role acting as itself (no session ARN known, e.g. simulation); `arn` is the role ARN.
    Role,
    /// A role session: `arn` is `arn:aws:sts::A:assumed-role/R/s`, `parent_arn` the role ARN.
    AssumedRole,
    /// A `GetFederationToken` session: `arn` is `arn:aws:sts::A:federated-user/N`,
    /// `parent_arn` the ARN of the user that created it.
    FederatedUser,
    /// A SAML or OIDC identity provider calling `AssumeRoleWith*`: `arn` is the provider ARN
    /// or its well-known name (`cognito-identity.amazonaws.com`, `accounts.google.com`, …).
    IdentityProvider,
    /// An AWS service principal: `arn` is its name, e.g. `cloudtrail.amazonaws.com`.
    Service,
    /// An unauthenticated caller.
    Anonymous,
}

impl PrincipalKind {
    /// The `aws:PrincipalType` value for this kind.
    #[must_use]
    pub fn principal_type(self) -> &'static str {
        match self {
            PrincipalKind::Root => "Account",
            PrincipalKind::User => "User",
            PrincipalKind::FederatedUser => "FederatedUser",
            PrincipalKind::Role | PrincipalKind::AssumedRole => "AssumedRole",
            PrincipalKind::IdentityProvider | PrincipalKind::Service | PrincipalKind::Anonymous => {
                "Anonymous"
            }
        }
    }

    /// True for callers that belong to an account (and so are subject to its identity
    /// policies and SCPs).
    #[must_use]
    pub fn is_account_principal(self) -> bool {
        matches!(
            self,
            PrincipalKind::Root
                | PrincipalKind::User
                | PrincipalKind::Role
                | PrincipalKind::AssumedRole
                | PrincipalKind::FederatedUser
        )
    }
}

/// The authenticated caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrincipalInfo {
    /// Caller ARN as AWS prints it in denials (the session ARN for role sessions); the service
    /// or provider name for service and identity-provider callers; empty for anonymous.
    pub arn: String,
    /// The caller's 12-digit account id (empty for service principals and anonymous).
    pub account: String,
    /// What kind of caller this is.
    pub kind: PrincipalKind,
    /// For role sessions: the role ARN including its path; for federated users: the ARN of
    /// the IAM user that called `GetFederationToken`. `None` otherwise.
    pub parent_arn: Option<String>,
    /// Unique id of the user or role (`AIDA…`, `AROA…`), matched by principals stored by id.
    pub unique_id: Option<String>,
    /// The caller is a service-linked role (or one of its sessions): exempt from SCPs and
    /// RCPs (`policy-evaluation.md` §5.1).
    pub service_linked_role: bool,
}

impl PrincipalInfo {
    /// A caller of `kind` with `arn` in `account`.
    #[must_use]
    pub fn new(kind: PrincipalKind, arn: impl Into<String>, account: impl Into<String>) -> Self {
        PrincipalInfo {
            arn: arn.into(),
            account: account.into(),
            kind,
            parent_arn: None,
            unique_id: None,
            service_linked_role: false,
        }
    }

    /// An IAM user.
    ///
    /// ```
    /// # use rampart_policy::PrincipalInfo;
    /// let alice = PrincipalInfo::user("arn:aws:iam::111111111111:user/alice");
    /// assert_eq!(alice.account, "111111111111");
    /// ```
    #[must_use]
    pub fn user(arn: &str) -> Self {
        Self::new(PrincipalKind::User, arn, account_of(arn))
    }

    /// The root user of `account`.
    #[must_use]
    pub fn root(account: &str) -> Self {
        Self::new(
            PrincipalKind::Root,
            format!("arn:aws:iam::{account}:root"),
            account,
        )
    }

    /// A session of `role_arn` (with path) named `session`.
    #[must_use]
    pub fn assumed_role(role_arn: &str, session: &str) -> Self {
        let account = account_of(role_arn);
        let name = role_arn.rsplit('/').next().unwrap_or_default();
        let partition = role_arn.split(':').nth(1).unwrap_or("aws");
        let mut p = Self::new(
            PrincipalKind::AssumedRole,
            format!("arn:{partition}:sts::{account}:assumed-role/{name}/{session}"),
            account,
        );
        p.parent_arn = Some(role_arn.to_owned());
        p
    }

    /// A `GetFederationToken` session named `name`, created by the user `user_arn`.
    #[must_use]
    pub fn federated_user(user_arn: &str, name: &str) -> Self {
        let account = account_of(user_arn);
        let mut p = Self::new(
            PrincipalKind::FederatedUser,
            format!("arn:aws:sts::{account}:federated-user/{name}"),
            account,
        );
        p.parent_arn = Some(user_arn.to_owned());
        p
    }

    /// An AWS service principal such as `cloudtrail.amazonaws.com`.
    #[must_use]
    pub fn service(name: &str) -> Self {
        Self::new(PrincipalKind::Service, name, "")
    }

    /// Marks the caller as a service-linked role.
    #[must_use]
    pub fn with_service_linked_role(mut self, yes: bool) -> Self {
        self.service_linked_role = yes;
        self
    }

    /// Sets the unique id (`AIDA…` / `AROA…`).
    #[must_use]
    pub fn with_unique_id(mut self, id: impl Into<String>) -> Self {
        self.unique_id = Some(id.into());
        self
    }
}

/// The account id (fifth component) of an ARN, or `""`.
fn account_of(arn: &str) -> &str {
    arn.split(':').nth(4).unwrap_or_default()
}

/// FNV-1a: condition-key maps are tiny and keyed by short trusted strings built by the
/// server, so a fast non-keyed hash is appropriate.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

type KeyMap = HashMap<String, (String, ContextValue), BuildHasherDefault<Fnv>>;

/// Everything the evaluator knows about one request.
///
/// ```
/// use rampart_policy::{ContextValue, PrincipalInfo, RequestContext};
/// let ctx = RequestContext::new(
///     "iam:CreateUser",
///     "arn:aws:iam::111111111111:user/bob",
///     PrincipalInfo::user("arn:aws:iam::111111111111:user/alice"),
/// )
/// .with_key("aws:SourceIp", ContextValue::Ip("127.0.0.1".parse().unwrap()));
/// assert!(ctx.get("AWS:sourceip").is_some());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct RequestContext {
    /// The action, `service:Action` (compared case-insensitively).
    pub action: String,
    /// The resource ARN, or `*` for actions without a resource type.
    pub resource: String,
    /// The caller.
    pub principal: PrincipalInfo,
    /// Condition keys by lowercase name: (name as given, value).
    keys: KeyMap,
}

impl RequestContext {
    /// A context without condition keys.
    #[must_use]
    pub fn new(
        action: impl Into<String>,
        resource: impl Into<String>,
        principal: PrincipalInfo,
    ) -> Self {
        RequestContext {
            action: action.into(),
            resource: resource.into(),
            principal,
            keys: KeyMap::default(),
        }
    }

    /// Adds (or replaces) a condition key; names are case-insensitive.
    #[must_use]
    pub fn with_key(mut self, name: &str, value: impl Into<ContextValue>) -> Self {
        self.set_key(name, value);
        self
    }

    /// Sets `aws:CurrentTime` and `aws:EpochTime` to `now`.
    #[must_use]
    pub fn with_time(self, now: Timestamp) -> Self {
        #[expect(
            clippy::cast_precision_loss,
            reason = "epoch seconds fit f64 exactly until 2^53"
        )]
        let epoch = now.epoch_seconds() as f64;
        self.with_key("aws:CurrentTime", ContextValue::Date(now))
            .with_key("aws:EpochTime", ContextValue::Number(epoch))
    }

    /// Fills the principal keys of `policy-language.md` §8.1 that can be derived from
    /// [`RequestContext::principal`] (`aws:PrincipalArn`, `aws:PrincipalAccount`,
    /// `aws:PrincipalType`, `aws:userid`, `aws:username`, `aws:PrincipalIsAWSService`,
    /// `aws:PrincipalServiceName`), leaving keys already set untouched.
    ///
    /// ```
    /// # use rampart_policy::{ContextValue, PrincipalInfo, RequestContext};
    /// let ctx = RequestContext::new("s3:GetObject", "*",
    ///     PrincipalInfo::assumed_role("arn:aws:iam::111111111111:role/ops/Dev", "s1").with_unique_id("AROAEXAMPLE"))
    ///     .with_principal_keys();
    /// assert_eq!(ctx.get("aws:PrincipalArn"), Some(&ContextValue::from("arn:aws:iam::111111111111:role/ops/Dev")));
    /// assert_eq!(ctx.get("aws:userid"), Some(&ContextValue::from("AROAEXAMPLE:s1")));
    /// assert!(ctx.get("aws:username").is_none());
    /// ```
    #[must_use]
    pub fn with_principal_keys(mut self) -> Self {
        let p = self.principal.clone();
        let last = p.arn.rsplit('/').next().unwrap_or_default().to_owned();
        let mut put = |name: &str, value: ContextValue| {
            if self.get(name).is_none() {
                self.set_key(name, value);
            }
        };
        let principal_arn = match p.kind {
            PrincipalKind::AssumedRole => p.parent_arn.clone(),
            PrincipalKind::Root
            | PrincipalKind::User
            | PrincipalKind::Role
            | PrincipalKind::FederatedUser => Some(p.arn.clone()),
            PrincipalKind::Service | PrincipalKind::IdentityProvider | PrincipalKind::Anonymous => {
                None
            }
        };
        if let Some(arn) = principal_arn {
            put("aws:PrincipalArn", ContextValue::String(arn));
        }
        if !p.account.is_empty() {
            put(
                "aws:PrincipalAccount",
                ContextValue::String(p.account.clone()),
            );
        }
        put(
            "aws:PrincipalType",
            ContextValue::String(p.kind.principal_type().to_owned()),
        );
        let userid = match p.kind {
            PrincipalKind::Root => Some(p.account.clone()),
            PrincipalKind::User | PrincipalKind::Role => p.unique_id.clone(),
            PrincipalKind::AssumedRole => p.unique_id.as_ref().map(|id| format!("{id}:{last}")),
            PrincipalKind::FederatedUser => Some(format!("{}:{last}", p.account)),
            PrincipalKind::Anonymous => Some("anonymous".to_owned()),
            PrincipalKind::Service | PrincipalKind::IdentityProvider => None,
        };
        if let Some(id) = userid {
            put("aws:userid", ContextValue::String(id));
        }
        if p.kind == PrincipalKind::User {
            put("aws:username", ContextValue::String(last));
        }
        if p.kind.is_account_principal() || p.kind == PrincipalKind::Service {
            put(
                "aws:PrincipalIsAWSService",
                ContextValue::Bool(p.kind == PrincipalKind::Service),
            );
        }
        if p.kind == PrincipalKind::Service {
            put(
                "aws:PrincipalServiceName",
                ContextValue::String(p.arn.clone()),
            );
        }
        self
    }

    /// Adds (or replaces) a condition key in place.
    pub fn set_key(&mut self, name: &str, value: impl Into<ContextValue>) {
        self.keys
            .insert(name.to_ascii_lowercase(), (name.to_owned(), value.into()));
    }

    /// Removes a condition key.
    pub fn remove_key(&mut self, name: &str) -> Option<ContextValue> {
        self.keys.remove(&name.to_ascii_lowercase()).map(|(_, v)| v)
    }

    /// Looks a key up, case-insensitively.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&ContextValue> {
        if name.bytes().any(|b| b.is_ascii_uppercase()) {
            self.get_lower(&name.to_ascii_lowercase())
        } else {
            self.get_lower(name)
        }
    }

    /// Looks up an already-lowercased key name without allocating.
    pub(crate) fn get_lower(&self, lower: &str) -> Option<&ContextValue> {
        self.keys.get(lower).map(|(_, v)| v)
    }

    /// Iterates over the keys as (name as given, value).
    pub fn keys(&self) -> impl Iterator<Item = (&str, &ContextValue)> {
        self.keys.values().map(|(n, v)| (n.as_str(), v))
    }

    /// The value of a single-valued key as text, for policy variables (`policy-language.md` §7:
    /// multivalued keys cannot be variables).
    pub(crate) fn variable(&self, lower: &str) -> Option<Cow<'_, str>> {
        match self.get_lower(lower)? {
            ContextValue::List(items) if items.len() != 1 => None,
            v => v.as_text(),
        }
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_iso8601())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_parse_every_w3c_profile_form() {
        let t = |s| Timestamp::parse(s).unwrap().epoch_seconds();
        assert_eq!(t("1970"), 0);
        assert_eq!(t("1970-02"), 31 * 86400);
        assert_eq!(t("2020-01-01"), 1_577_836_800);
        assert_eq!(t("2020-01-01T00:00Z"), 1_577_836_800);
        assert_eq!(t("2020-01-01T01:00:00+01:00"), 1_577_836_800);
        assert_eq!(t("2019-12-31T19:00:00-05:00"), 1_577_836_800);
        assert_eq!(t("2020-01-01T00:00:00.5Z"), 1_577_836_800);
        assert_eq!(t("1577836800"), 1_577_836_800);
        assert!(Timestamp::parse("2020-02-30").is_none());
        assert!(Timestamp::parse("20-01-01").is_none());
        assert!(Timestamp::parse("yesterday").is_none());
        assert_eq!(
            Timestamp::from_epoch_seconds(1_577_836_800).to_iso8601(),
            "2020-01-01T00:00:00Z"
        );
    }

    #[test]
    fn key_names_are_case_insensitive() {
        let ctx =
            RequestContext::new("a:b", "*", PrincipalInfo::root("1")).with_key("aws:UserName", "x");
        assert_eq!(
            ctx.get("AWS:USERNAME"),
            Some(&ContextValue::String("x".into()))
        );
        assert_eq!(ctx.variable("aws:username").as_deref(), Some("x"));
    }

    #[test]
    fn assumed_role_arn_drops_the_path() {
        let p = PrincipalInfo::assumed_role("arn:aws:iam::111111111111:role/ops/Dev", "s1");
        assert_eq!(p.arn, "arn:aws:sts::111111111111:assumed-role/Dev/s1");
        assert_eq!(
            p.parent_arn.as_deref(),
            Some("arn:aws:iam::111111111111:role/ops/Dev")
        );
    }
}
