//! Account records: the account and its root user (password, recovery, security questions,
//! contacts) and the credential report.

use serde::{Deserialize, Serialize};

use super::AccountId;

/// An account and its root user.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccountRecord {
    /// The 12-digit id.
    pub id: AccountId,
    /// The root user's sign-in email.
    pub email: String,
    /// The account name.
    pub name: String,
    /// Creation time, unix seconds.
    pub created: i64,
    /// argon2id PHC string of the root password; `None` when the root has no password.
    pub root_password_hash: Option<String>,
    /// The IAM account alias (at most one, unique across accounts).
    #[serde(default)]
    pub alias: Option<String>,
    /// The IAM account password policy; `None` means AWS's default rules.
    #[serde(default)]
    pub password_policy: Option<crate::password_policy::PasswordPolicy>,
    /// Alternate contacts by type (`BILLING`, `OPERATIONS`, `SECURITY`).
    #[serde(default)]
    pub alternate_contacts: std::collections::BTreeMap<String, AlternateContact>,
    /// The primary contact information.
    #[serde(default)]
    pub contact_information: Option<ContactInformation>,
    /// Legacy security challenge questions (three, or none).
    #[serde(default)]
    pub security_questions: Vec<SecurityQuestion>,
    /// When the root password was last set, unix seconds.
    #[serde(default)]
    pub root_password_changed: Option<i64>,
    /// The opt-in regions this account asked to enable or disable, by region name; a
    /// region absent here has its default status.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub regions: std::collections::BTreeMap<String, RegionOptRecord>,
    /// A primary email update started and not yet accepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_email_update: Option<PrimaryEmailUpdate>,
}

/// The last opt-in request for a region: the status it moves to, and since when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionOptRecord {
    /// `true` after `EnableRegion`, `false` after `DisableRegion`.
    pub enabled: bool,
    /// When the request was made, unix seconds; the change completes a fixed delay later.
    pub since: i64,
}

/// A pending change of the root user's email (`StartPrimaryEmailUpdate`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrimaryEmailUpdate {
    /// The address the code was mailed to.
    pub email: String,
    /// The one-time code, sealed under the master key.
    pub sealed_code: String,
    /// When the code stops working, unix seconds.
    pub expires: i64,
    /// Wrong codes presented so far.
    pub failures: u32,
}

/// A legacy security challenge question with its argon2id-hashed answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityQuestion {
    /// The question as registered.
    pub question: String,
    /// argon2id PHC string of the normalised answer (trimmed, lower case).
    pub answer_hash: String,
}

/// A pending root password recovery: a single-use token that expires.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RootRecoveryRecord {
    /// The account whose root may set a new password.
    pub account: AccountId,
    /// When the link stops working, unix seconds.
    pub expires: i64,
}

/// An alternate contact of an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlternateContact {
    /// Name.
    pub name: String,
    /// Title.
    pub title: String,
    /// Email address.
    pub email_address: String,
    /// Phone number.
    pub phone_number: String,
}

/// The primary contact information of an account (the Account API's `ContactInformation`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactInformation {
    /// Full name.
    pub full_name: String,
    /// Address lines 1–3.
    pub address_lines: Vec<String>,
    /// City.
    pub city: String,
    /// State or region.
    pub state_or_region: Option<String>,
    /// District or county.
    pub district_or_county: Option<String>,
    /// Postal code.
    pub postal_code: String,
    /// ISO country code.
    pub country_code: String,
    /// Phone number.
    pub phone_number: String,
    /// Company name.
    pub company_name: Option<String>,
    /// Website URL.
    pub website_url: Option<String>,
}

/// A generated credential report.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CredentialReportRecord {
    /// Generation time, unix seconds.
    pub generated: i64,
    /// The CSV.
    pub content: String,
}
