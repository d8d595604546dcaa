//! The IAM credential report: one CSV row per principal in AWS's exact column order and
//! value conventions, and the four-hour regeneration rule of GenerateCredentialReport /
//! GetCredentialReport (`shared/reference/credentials-and-mfa.md` §(e), `root-user.md` §10.1).
//!
//! Pure: the caller gathers the facts into [`ReportRow`]s and passes `now`; this module
//! renders text and decides states, and never reads storage or the clock. The report holds
//! no secrets: only names, ARNs, flags and times.

use rampart_wire::{ErrorCode, Timestamp};

use crate::model::AccountId;

/// The `user` value of the root user's row.
pub const ROOT_USER: &str = "<root_account>";

/// The header row, AWS's 22 columns in AWS's order (§(e)).
pub const HEADER: &str = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated";

/// `GetCredentialReport.ReportFormat`.
pub const REPORT_FORMAT: &str = "text/csv";

/// A report younger than this is reused rather than regenerated, and an older one is
/// expired: four hours (§(e) "4-hour rule").
pub const REGENERATION_INTERVAL_SECONDS: i64 = 4 * 3600;

const NOT_APPLICABLE: &str = "N/A";
const NO_INFORMATION: &str = "no_information";
const NOT_SUPPORTED: &str = "not_supported";

/// One row of the report. Times are unix seconds; `None` renders as AWS's placeholder for
/// that column (see each field). Build one with [`ReportRow::root`] or [`ReportRow::user`],
/// then fill in what the principal has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRow {
    /// `user`: the user name, or [`ROOT_USER`].
    pub user: String,
    /// `arn`: the user's ARN (with its path), or `arn:aws:iam::<acct>:root`.
    pub arn: String,
    /// `user_creation_time`: user creation, or account creation for root.
    pub user_creation_time: i64,
    /// `password_enabled`: whether the user has a console password; `None` renders
    /// `not_supported`, as on the root row, and makes `password_last_changed` and
    /// `password_next_rotation` `not_supported` too (`root-user.md` §1).
    pub password_enabled: Option<bool>,
    /// `password_last_used`: `None` renders `no_information` when there is a password (or
    /// on the root row) and `N/A` when the user has none.
    pub password_last_used: Option<i64>,
    /// `password_last_changed`: `None` renders `N/A`.
    pub password_last_changed: Option<i64>,
    /// `password_next_rotation`: set when the policy has `MaxPasswordAge` and there is a
    /// password ([`crate::password_policy::next_rotation`]); `None` renders `N/A`.
    pub password_next_rotation: Option<i64>,
    /// `mfa_active`: at least one MFA device is enabled.
    pub mfa_active: bool,
    /// `access_key_1_active`: key 1 exists and is Active.
    pub access_key_1_active: bool,
    /// `access_key_1_last_rotated`: `None` renders `N/A`.
    pub access_key_1_last_rotated: Option<i64>,
    /// `access_key_1_last_used_date`: `None` renders `N/A`.
    pub access_key_1_last_used_date: Option<i64>,
    /// `access_key_1_last_used_region`: `None` renders `N/A` (also for non-regional services).
    pub access_key_1_last_used_region: Option<String>,
    /// `access_key_1_last_used_service`: the service namespace; `None` renders `N/A`.
    pub access_key_1_last_used_service: Option<String>,
    /// `access_key_2_active`.
    pub access_key_2_active: bool,
    /// `access_key_2_last_rotated`.
    pub access_key_2_last_rotated: Option<i64>,
    /// `access_key_2_last_used_date`.
    pub access_key_2_last_used_date: Option<i64>,
    /// `access_key_2_last_used_region`.
    pub access_key_2_last_used_region: Option<String>,
    /// `access_key_2_last_used_service`.
    pub access_key_2_last_used_service: Option<String>,
    /// `cert_1_active`: signing certificate 1 exists and is Active.
    pub cert_1_active: bool,
    /// `cert_1_last_rotated`: `None` renders `N/A`.
    pub cert_1_last_rotated: Option<i64>,
    /// `cert_2_active`.
    pub cert_2_active: bool,
    /// `cert_2_last_rotated`.
    pub cert_2_last_rotated: Option<i64>,
}

/// What the report needs to know about one access key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccessKeyFacts<'a> {
    /// Status is Active.
    pub active: bool,
    /// Creation time (the report's "last rotated").
    pub created: i64,
    /// When it last signed a request, if ever.
    pub last_used: Option<i64>,
    /// The region of that request; `None` for non-regional services.
    pub last_used_region: Option<&'a str>,
    /// The service namespace of that request (`iam`, `s3`, `sts`).
    pub last_used_service: Option<&'a str>,
}

impl ReportRow {
    /// A row with no password, MFA, keys or certificates: every optional column `N/A`.
    pub fn user(name: &str, arn: &str, created: i64) -> ReportRow {
        ReportRow {
            user: name.to_owned(),
            arn: arn.to_owned(),
            user_creation_time: created,
            password_enabled: Some(false),
            password_last_used: None,
            password_last_changed: None,
            password_next_rotation: None,
            mfa_active: false,
            access_key_1_active: false,
            access_key_1_last_rotated: None,
            access_key_1_last_used_date: None,
            access_key_1_last_used_region: None,
            access_key_1_last_used_service: None,
            access_key_2_active: false,
            access_key_2_last_rotated: None,
            access_key_2_last_used_date: None,
            access_key_2_last_used_region: None,
            access_key_2_last_used_service: None,
            cert_1_active: false,
            cert_1_last_rotated: None,
            cert_2_active: false,
            cert_2_last_rotated: None,
        }
    }

    /// The `<root_account>` row of `account`, created at `created`: the three password
    /// columns `not_supported`, `password_last_used` `no_information` until set.
    pub fn root(account: &AccountId, created: i64) -> ReportRow {
        ReportRow {
            password_enabled: None,
            ..ReportRow::user(ROOT_USER, &account.root_arn(), created)
        }
    }

    /// Whether this is the root user's row.
    pub fn is_root(&self) -> bool {
        self.user == ROOT_USER
    }

    /// Fills both access-key column groups from the principal's keys: key 1 and key 2 are
    /// the two oldest by creation time (§(e) "Key 1 / key 2 follow creation order").
    ///
    /// Per the AWS documentation quoted in §(e), `last_rotated` is `N/A` when key N is not
    /// Active; its last-use columns are `N/A` only when the key was never used.
    pub fn set_access_keys(&mut self, keys: &[AccessKeyFacts<'_>]) {
        let mut ordered: Vec<&AccessKeyFacts<'_>> = keys.iter().collect();
        ordered.sort_by_key(|k| k.created);
        let mut slots = ordered.into_iter();
        let first = slots.next();
        let second = slots.next();
        self.access_key_1_active = first.is_some_and(|k| k.active);
        self.access_key_1_last_rotated = first.filter(|k| k.active).map(|k| k.created);
        self.access_key_1_last_used_date = first.and_then(|k| k.last_used);
        self.access_key_1_last_used_region =
            first.and_then(|k| k.last_used_region).map(str::to_owned);
        self.access_key_1_last_used_service =
            first.and_then(|k| k.last_used_service).map(str::to_owned);
        self.access_key_2_active = second.is_some_and(|k| k.active);
        self.access_key_2_last_rotated = second.filter(|k| k.active).map(|k| k.created);
        self.access_key_2_last_used_date = second.and_then(|k| k.last_used);
        self.access_key_2_last_used_region =
            second.and_then(|k| k.last_used_region).map(str::to_owned);
        self.access_key_2_last_used_service =
            second.and_then(|k| k.last_used_service).map(str::to_owned);
    }

    /// The row's 22 values, rendered, in [`HEADER`] order.
    fn cells(&self) -> [String; 22] {
        let supported = self.password_enabled.is_some();
        let has_password = self.password_enabled.unwrap_or(true);
        let password_column = |value: Option<i64>| {
            if supported {
                time_or(value, NOT_APPLICABLE)
            } else {
                NOT_SUPPORTED.to_owned()
            }
        };
        [
            self.user.clone(),
            self.arn.clone(),
            time(self.user_creation_time),
            self.password_enabled
                .map_or_else(|| NOT_SUPPORTED.to_owned(), boolean),
            time_or(
                self.password_last_used,
                if has_password {
                    NO_INFORMATION
                } else {
                    NOT_APPLICABLE
                },
            ),
            password_column(self.password_last_changed),
            password_column(self.password_next_rotation),
            boolean(self.mfa_active),
            boolean(self.access_key_1_active),
            time_or(self.access_key_1_last_rotated, NOT_APPLICABLE),
            time_or(self.access_key_1_last_used_date, NOT_APPLICABLE),
            text_or(self.access_key_1_last_used_region.as_deref()),
            text_or(self.access_key_1_last_used_service.as_deref()),
            boolean(self.access_key_2_active),
            time_or(self.access_key_2_last_rotated, NOT_APPLICABLE),
            time_or(self.access_key_2_last_used_date, NOT_APPLICABLE),
            text_or(self.access_key_2_last_used_region.as_deref()),
            text_or(self.access_key_2_last_used_service.as_deref()),
            boolean(self.cert_1_active),
            time_or(self.cert_1_last_rotated, NOT_APPLICABLE),
            boolean(self.cert_2_active),
            time_or(self.cert_2_last_rotated, NOT_APPLICABLE),
        ]
    }
}

/// A report time: `YYYY-MM-DDTHH:MM:SS+00:00`, seconds precision, `+00:00` rather than the
/// `Z` the XML APIs use (§(e), observed in real reports).
pub fn time(unix: i64) -> String {
    let iso = Timestamp(unix).to_iso8601();
    match iso.strip_suffix('Z') {
        Some(stem) => format!("{stem}+00:00"),
        None => iso,
    }
}

fn time_or(value: Option<i64>, missing: &str) -> String {
    value.map_or_else(|| missing.to_owned(), time)
}

fn text_or(value: Option<&str>) -> String {
    value
        .filter(|v| !v.is_empty())
        .unwrap_or(NOT_APPLICABLE)
        .to_owned()
}

/// Booleans are lower case in real reports (the documentation prints `TRUE`/`FALSE`).
fn boolean(value: bool) -> String {
    if value { "true" } else { "false" }.to_owned()
}

/// Quotes a field RFC 4180-style when it holds a comma, quote or line break. IAM user names
/// may contain `,`; AWS's own handling is unverified (§(e)).
fn push_field(out: &mut String, field: &str) {
    if field.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&field.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(field);
    }
}

/// The report's CSV text: [`HEADER`], then the root row, then the users sorted by name
/// (ignoring ASCII case, as IAM names are unique that way), lines separated by `\n`.
///
/// There is no newline after the last row, so that readers that split on `\n` see no empty
/// trailing record (whether AWS ends with one is unverified). The row order after root is
/// unverified too (§(e)); name order makes the report deterministic.
///
/// ```
/// use rampart_core::credential_report::{render, ReportRow};
/// use rampart_core::model::AccountId;
/// let account = AccountId::parse("123456789012").unwrap();
/// let csv = render(&[ReportRow::root(&account, 1_672_909_200)]);
/// let mut lines = csv.lines();
/// assert!(lines.next().unwrap().starts_with("user,arn,user_creation_time,"));
/// assert!(lines.next().unwrap().starts_with("<root_account>,arn:aws:iam::123456789012:root,2023-01-05T09:00:00+00:00,not_supported,"));
/// ```
pub fn render(rows: &[ReportRow]) -> String {
    let mut ordered: Vec<&ReportRow> = rows.iter().collect();
    ordered.sort_by(|a, b| {
        b.is_root()
            .cmp(&a.is_root())
            .then_with(|| {
                a.user
                    .to_ascii_lowercase()
                    .cmp(&b.user.to_ascii_lowercase())
            })
            .then_with(|| a.user.cmp(&b.user))
    });
    let mut out = String::with_capacity(HEADER.len() + 1 + ordered.len() * 320);
    out.push_str(HEADER);
    for row in ordered {
        out.push('\n');
        for (i, cell) in row.cells().iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            push_field(&mut out, cell);
        }
    }
    out
}

/// `GenerateCredentialReport.State`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportState {
    /// A new report is being generated: none existed, or the last is four hours old.
    Started,
    /// Generation is under way. Rampart renders synchronously, so [`report_state`] never
    /// returns it; it exists for the wire enum.
    InProgress,
    /// A report younger than four hours exists and is reused.
    Complete,
}

impl ReportState {
    /// AWS's spelling: `STARTED`, `INPROGRESS`, `COMPLETE`.
    pub fn as_str(self) -> &'static str {
        match self {
            ReportState::Started => "STARTED",
            ReportState::InProgress => "INPROGRESS",
            ReportState::Complete => "COMPLETE",
        }
    }

    /// `GenerateCredentialReport.Description`: AWS's sentence for a started report (§(e));
    /// `None` for the others (their description is unverified).
    pub fn description(self) -> Option<&'static str> {
        match self {
            ReportState::Started => Some("No report exists. Starting a new report generation task"),
            ReportState::InProgress | ReportState::Complete => None,
        }
    }
}

/// What GenerateCredentialReport does at `now` given when the account's report was last
/// generated: [`ReportState::Started`] (generate and store a new one, at `now`) when there is
/// none or it is at least four hours old, else [`ReportState::Complete`] (keep it).
///
/// ```
/// use rampart_core::credential_report::{report_state, ReportState};
/// assert_eq!(report_state(None, 1_000_000), ReportState::Started);
/// assert_eq!(report_state(Some(1_000_000), 1_000_000 + 60), ReportState::Complete);
/// assert_eq!(report_state(Some(1_000_000), 1_000_000 + 4 * 3600), ReportState::Started);
/// ```
pub fn report_state(generated_at: Option<i64>, now: i64) -> ReportState {
    match generated_at {
        Some(at) if now.saturating_sub(at) < REGENERATION_INTERVAL_SECONDS => ReportState::Complete,
        _ => ReportState::Started,
    }
}

/// Why GetCredentialReport has no report to return.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ReportError {
    /// Never generated: `ReportNotPresent` (410).
    #[error("Credential report not present. Call GenerateCredentialReport to generate a report.")]
    NotPresent,
    /// Four hours old or more: `ReportExpired` (410), until GenerateCredentialReport is
    /// called again (§(e): the expiry age is unverified; four hours matches the rule above).
    #[error("Credential report expired. Call GenerateCredentialReport to generate a new report.")]
    Expired,
}

impl ReportError {
    /// The AWS error code.
    pub fn code(self) -> ErrorCode {
        match self {
            ReportError::NotPresent => ErrorCode::ReportNotPresent,
            ReportError::Expired => ErrorCode::ReportExpired,
        }
    }
}

/// Whether GetCredentialReport may return the report generated at `generated_at`, at `now`.
pub fn check_available(generated_at: Option<i64>, now: i64) -> Result<(), ReportError> {
    match report_state(generated_at, now) {
        ReportState::Complete => Ok(()),
        _ if generated_at.is_none() => Err(ReportError::NotPresent),
        _ => Err(ReportError::Expired),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2023-01-05T09:00:00Z etc., the instants of the reference's sample.
    fn at(text: &str) -> i64 {
        Timestamp::parse_iso8601(text).unwrap().0
    }

    fn account() -> AccountId {
        AccountId::parse("123456789012").unwrap()
    }

    /// A CSV reader for the tests: RFC 4180 quoting, `\n` records.
    fn parse_csv(text: &str) -> Vec<Vec<String>> {
        let mut records = Vec::new();
        let mut record = Vec::new();
        let mut field = String::new();
        let mut quoted = false;
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match (quoted, c) {
                (true, '"') if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                (true, '"') => quoted = false,
                (true, c) => field.push(c),
                (false, '"') if field.is_empty() => quoted = true,
                (false, ',') => record.push(std::mem::take(&mut field)),
                (false, '\n') => {
                    record.push(std::mem::take(&mut field));
                    records.push(std::mem::take(&mut record));
                }
                (false, c) => field.push(c),
            }
        }
        record.push(field);
        records.push(record);
        records
    }

    /// The reference's constructed sample (§(e)), row by row.
    const SAMPLE: &str = "\
user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated
<root_account>,arn:aws:iam::123456789012:root,2023-01-05T09:00:00+00:00,not_supported,2024-04-30T08:15:02+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
alice,arn:aws:iam::123456789012:user/eng/alice,2023-02-01T10:00:00+00:00,true,2024-04-29T17:40:11+00:00,2024-03-01T12:00:00+00:00,2024-05-30T12:00:00+00:00,true,true,2024-01-10T08:00:00+00:00,2024-04-30T06:00:00+00:00,us-east-1,iam,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
bob,arn:aws:iam::123456789012:user/bob,2023-06-01T10:00:00+00:00,true,no_information,2023-06-01T10:00:00+00:00,2023-08-30T10:00:00+00:00,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
ci-bot,arn:aws:iam::123456789012:user/ci-bot,2023-07-01T10:00:00+00:00,false,N/A,N/A,N/A,false,true,2024-02-02T00:00:00+00:00,2024-04-30T07:59:00+00:00,eu-west-1,sts,true,2024-04-01T00:00:00+00:00,N/A,N/A,N/A,false,N/A,false,N/A";

    fn sample_rows() -> Vec<ReportRow> {
        let mut root = ReportRow::root(&account(), at("2023-01-05T09:00:00Z"));
        root.password_last_used = Some(at("2024-04-30T08:15:02Z"));
        root.mfa_active = true;

        let mut alice = ReportRow::user(
            "alice",
            "arn:aws:iam::123456789012:user/eng/alice",
            at("2023-02-01T10:00:00Z"),
        );
        alice.password_enabled = Some(true);
        alice.password_last_used = Some(at("2024-04-29T17:40:11Z"));
        alice.password_last_changed = Some(at("2024-03-01T12:00:00Z"));
        alice.password_next_rotation = Some(at("2024-05-30T12:00:00Z"));
        alice.mfa_active = true;
        alice.set_access_keys(&[
            AccessKeyFacts {
                active: false,
                created: at("2024-03-15T00:00:00Z"),
                last_used: None,
                last_used_region: None,
                last_used_service: None,
            },
            AccessKeyFacts {
                active: true,
                created: at("2024-01-10T08:00:00Z"),
                last_used: Some(at("2024-04-30T06:00:00Z")),
                last_used_region: Some("us-east-1"),
                last_used_service: Some("iam"),
            },
        ]);

        let mut bob = ReportRow::user(
            "bob",
            "arn:aws:iam::123456789012:user/bob",
            at("2023-06-01T10:00:00Z"),
        );
        bob.password_enabled = Some(true);
        bob.password_last_changed = Some(at("2023-06-01T10:00:00Z"));
        bob.password_next_rotation = Some(at("2023-08-30T10:00:00Z"));

        let mut ci = ReportRow::user(
            "ci-bot",
            "arn:aws:iam::123456789012:user/ci-bot",
            at("2023-07-01T10:00:00Z"),
        );
        ci.set_access_keys(&[
            AccessKeyFacts {
                active: true,
                created: at("2024-02-02T00:00:00Z"),
                last_used: Some(at("2024-04-30T07:59:00Z")),
                last_used_region: Some("eu-west-1"),
                last_used_service: Some("sts"),
            },
            AccessKeyFacts {
                active: true,
                created: at("2024-04-01T00:00:00Z"),
                last_used: None,
                last_used_region: None,
                last_used_service: None,
            },
        ]);
        // Out of order on purpose: render puts root first and users by name.
        vec![ci, bob, root, alice]
    }

    #[test]
    fn header_is_aws_sample_header() {
        let aws = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated";
        assert_eq!(HEADER, aws);
        assert_eq!(HEADER.split(',').count(), 22);
        assert_eq!(render(&[]), aws);
    }

    #[test]
    fn renders_the_reference_sample_exactly() {
        assert_eq!(render(&sample_rows()), SAMPLE);
    }

    #[test]
    fn root_row_has_not_supported_in_the_three_password_columns() {
        let csv = render(&[ReportRow::root(&account(), at("2023-01-05T09:00:00Z"))]);
        let records = parse_csv(&csv);
        assert_eq!(records.len(), 2);
        let header = &records[0];
        let root = &records[1];
        let col = |name: &str| root[header.iter().position(|h| h == name).unwrap()].as_str();
        assert_eq!(col("user"), "<root_account>");
        assert_eq!(col("arn"), "arn:aws:iam::123456789012:root");
        assert_eq!(col("password_enabled"), "not_supported");
        assert_eq!(col("password_last_changed"), "not_supported");
        assert_eq!(col("password_next_rotation"), "not_supported");
        // Never signed in: no_information, not N/A and not not_supported.
        assert_eq!(col("password_last_used"), "no_information");
        assert_eq!(col("mfa_active"), "false");
        assert_eq!(col("access_key_1_active"), "false");
        assert_eq!(col("access_key_2_last_used_service"), "N/A");
        assert_eq!(col("cert_2_last_rotated"), "N/A");
        let mut with_data = ReportRow::root(&account(), 0);
        with_data.password_last_changed = Some(1);
        assert!(
            render(&[with_data])
                .contains(",not_supported,no_information,not_supported,not_supported,")
        );
    }

    #[test]
    fn root_access_keys_fill_the_root_row() {
        let mut root = ReportRow::root(&account(), 0);
        root.set_access_keys(&[AccessKeyFacts {
            active: true,
            created: at("2024-01-01T00:00:00Z"),
            last_used: Some(at("2024-01-02T03:04:05Z")),
            last_used_region: Some("us-east-1"),
            last_used_service: Some("s3"),
        }]);
        let records = parse_csv(&render(&[root]));
        assert_eq!(
            &records[1][8..13],
            [
                "true",
                "2024-01-01T00:00:00+00:00",
                "2024-01-02T03:04:05+00:00",
                "us-east-1",
                "s3"
            ]
        );
    }

    #[test]
    fn a_user_with_two_keys_parses_back_column_by_column() {
        let records = parse_csv(&render(&sample_rows()));
        assert_eq!(records.len(), 5);
        assert!(records.iter().all(|r| r.len() == 22));
        assert_eq!(records[0].join(","), HEADER);
        let users: Vec<&str> = records[1..].iter().map(|r| r[0].as_str()).collect();
        assert_eq!(users, ["<root_account>", "alice", "bob", "ci-bot"]);
        let ci = &records[4];
        let header = &records[0];
        let col = |name: &str| ci[header.iter().position(|h| h == name).unwrap()].as_str();
        assert_eq!(col("password_enabled"), "false");
        assert_eq!(col("password_last_used"), "N/A");
        assert_eq!(col("password_last_changed"), "N/A");
        assert_eq!(col("access_key_1_active"), "true");
        assert_eq!(
            col("access_key_1_last_rotated"),
            "2024-02-02T00:00:00+00:00"
        );
        assert_eq!(
            col("access_key_1_last_used_date"),
            "2024-04-30T07:59:00+00:00"
        );
        assert_eq!(col("access_key_1_last_used_region"), "eu-west-1");
        assert_eq!(col("access_key_1_last_used_service"), "sts");
        assert_eq!(col("access_key_2_active"), "true");
        assert_eq!(
            col("access_key_2_last_rotated"),
            "2024-04-01T00:00:00+00:00"
        );
        assert_eq!(col("access_key_2_last_used_date"), "N/A");
        assert_eq!(col("access_key_2_last_used_region"), "N/A");
        assert_eq!(col("access_key_2_last_used_service"), "N/A");
    }

    #[test]
    fn keys_follow_creation_order_and_inactive_keys_show_no_rotation_date() {
        let mut row = ReportRow::user("u", "arn:aws:iam::123456789012:user/u", 0);
        row.set_access_keys(&[
            AccessKeyFacts {
                active: true,
                created: 200,
                last_used: None,
                last_used_region: None,
                last_used_service: None,
            },
            AccessKeyFacts {
                active: false,
                created: 100,
                last_used: Some(150),
                last_used_region: Some("eu-central-1"),
                last_used_service: Some("s3"),
            },
        ]);
        assert!(!row.access_key_1_active);
        assert_eq!(row.access_key_1_last_rotated, None);
        assert_eq!(row.access_key_1_last_used_date, Some(150));
        assert_eq!(row.access_key_1_last_used_service.as_deref(), Some("s3"));
        assert!(row.access_key_2_active);
        assert_eq!(row.access_key_2_last_rotated, Some(200));
        // Setting fewer keys clears the slots again.
        row.set_access_keys(&[]);
        assert_eq!(
            row,
            ReportRow::user("u", "arn:aws:iam::123456789012:user/u", 0)
        );
    }

    #[test]
    fn non_regional_use_renders_na_region() {
        let mut row = ReportRow::user("u", "arn:aws:iam::123456789012:user/u", 0);
        row.set_access_keys(&[AccessKeyFacts {
            active: true,
            created: 0,
            last_used: Some(60),
            last_used_region: None,
            last_used_service: Some("iam"),
        }]);
        let records = parse_csv(&render(&[row]));
        assert_eq!(
            &records[1][10..13],
            ["1970-01-01T00:01:00+00:00", "N/A", "iam"]
        );
    }

    #[test]
    fn password_columns_follow_aws_conventions() {
        let mut row = ReportRow::user("u", "arn:aws:iam::123456789012:user/u", 0);
        let cells =
            |row: &ReportRow| parse_csv(&render(std::slice::from_ref(row)))[1][3..7].to_vec();
        assert_eq!(cells(&row), ["false", "N/A", "N/A", "N/A"]);
        row.password_enabled = Some(true);
        row.password_last_changed = Some(0);
        assert_eq!(
            cells(&row),
            ["true", "no_information", "1970-01-01T00:00:00+00:00", "N/A"]
        );
        row.password_last_used = Some(86_400);
        row.password_next_rotation = Some(2 * 86_400);
        assert_eq!(
            cells(&row),
            [
                "true",
                "1970-01-02T00:00:00+00:00",
                "1970-01-01T00:00:00+00:00",
                "1970-01-03T00:00:00+00:00"
            ]
        );
        // A user whose password was removed: N/A even if it was once used.
        row.password_enabled = Some(false);
        row.password_last_used = None;
        assert_eq!(cells(&row)[1], "N/A");
    }

    #[test]
    fn times_use_plus_zero_offset_with_seconds_precision() {
        assert_eq!(time(0), "1970-01-01T00:00:00+00:00");
        assert_eq!(time(1_714_566_896), "2024-05-01T12:34:56+00:00");
        assert_eq!(
            time(at("2024-02-29T23:59:59Z")),
            "2024-02-29T23:59:59+00:00"
        );
    }

    #[test]
    fn names_with_commas_and_quotes_are_quoted() {
        let row = ReportRow::user("a,b", "arn:aws:iam::123456789012:user/a,b", 0);
        let csv = render(&[row]);
        assert!(csv.contains(
            "\n\"a,b\",\"arn:aws:iam::123456789012:user/a,b\",1970-01-01T00:00:00+00:00,"
        ));
        let records = parse_csv(&csv);
        assert_eq!(records[1].len(), 22);
        assert_eq!(records[1][0], "a,b");
        let mut quoted = String::new();
        push_field(&mut quoted, "say \"hi\"");
        assert_eq!(quoted, "\"say \"\"hi\"\"\"");
    }

    #[test]
    fn lines_end_with_lf_only_and_no_trailing_newline() {
        let csv = render(&sample_rows());
        assert!(!csv.contains('\r'));
        assert!(!csv.ends_with('\n'));
        assert_eq!(csv.split('\n').count(), 5);
    }

    #[test]
    fn users_sort_by_name_ignoring_case_after_root() {
        let rows = vec![
            ReportRow::user("bob", "b", 0),
            ReportRow::user("Alice", "a", 0),
            ReportRow::root(&account(), 0),
            ReportRow::user("carol", "c", 0),
        ];
        let csv = render(&rows);
        let users: Vec<&str> = csv
            .lines()
            .skip(1)
            .map(|l| l.split(',').next().unwrap())
            .collect();
        assert_eq!(users, ["<root_account>", "Alice", "bob", "carol"]);
    }

    #[test]
    fn generate_starts_without_a_report_and_reuses_one_under_four_hours() {
        let generated = 1_700_000_000;
        assert_eq!(report_state(None, generated), ReportState::Started);
        assert_eq!(
            report_state(Some(generated), generated),
            ReportState::Complete
        );
        assert_eq!(
            report_state(Some(generated), generated + 4 * 3600 - 1),
            ReportState::Complete
        );
        assert_eq!(
            report_state(Some(generated), generated + 4 * 3600),
            ReportState::Started
        );
        // A report stamped in the future (clock stepped back) is treated as fresh.
        assert_eq!(
            report_state(Some(generated), generated - 60),
            ReportState::Complete
        );
        assert_eq!(report_state(Some(i64::MIN), i64::MAX), ReportState::Started);
    }

    #[test]
    fn states_and_descriptions_use_aws_spelling() {
        assert_eq!(ReportState::Started.as_str(), "STARTED");
        assert_eq!(ReportState::InProgress.as_str(), "INPROGRESS");
        assert_eq!(ReportState::Complete.as_str(), "COMPLETE");
        assert_eq!(
            ReportState::Started.description(),
            Some("No report exists. Starting a new report generation task")
        );
        assert_eq!(ReportState::Complete.description(), None);
    }

    #[test]
    fn get_refuses_missing_and_expired_reports() {
        let generated = 1_700_000_000;
        assert_eq!(
            check_available(None, generated),
            Err(ReportError::NotPresent)
        );
        assert_eq!(check_available(Some(generated), generated + 100), Ok(()));
        assert_eq!(
            check_available(Some(generated), generated + 4 * 3600),
            Err(ReportError::Expired)
        );
        assert_eq!(ReportError::NotPresent.code(), ErrorCode::ReportNotPresent);
        assert_eq!(ReportError::Expired.code(), ErrorCode::ReportExpired);
    }
}
