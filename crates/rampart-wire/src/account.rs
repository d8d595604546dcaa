//! Account API (restJson1, `POST /<operation>` with a JSON body,
//! wire-protocols.md §3): typed inputs of the contact, name, primary-email,
//! region opt-in and GovCloud operations, decoded with the model's required
//! members and constraints, and their outputs, plus the [`Operation`] /
//! [`Output`] enums.
//!
//! Decode failures are `ValidationException` (400) with `reason:
//! fieldValidationFailed` and a `fieldList` of `{name, message}` (member path
//! and constraint); render them with [`WireError::render`]`(Protocol::RestJson, …)`
//! so those members reach the client. Operations without output answer with
//! an empty body. `AccountCreatedDate` is an ISO 8601 string ([`IsoTimestamp`]).
//! An absent `AccountId` means the caller's account; deciding that is the core's job.
//!
//! ```
//! use rampart_wire::account::{Operation, AlternateContactType};
//! use rampart_wire::Protocol;
//! let op = Operation::decode("DeleteAlternateContact", &serde_json::json!({"AlternateContactType": "SECURITY"})).unwrap();
//! assert!(matches!(op, Operation::DeleteAlternateContact(ref i) if i.alternate_contact_type == AlternateContactType::Security));
//! let e = Operation::decode("GetAlternateContact", &serde_json::json!({})).unwrap_err();
//! assert_eq!(e.render(Protocol::RestJson, "rid").status, 400);
//! ```

use crate::error::WireError;
use crate::json::{IsoTimestamp, JsonViolations};
use crate::schema::{Constraint, Pattern};

const ACCOUNT_ID: Constraint = Constraint::new("AccountId").pattern(Pattern::AccountId12);
const NAME: Constraint = Constraint::new("Name").len(1, 64);
const TITLE: Constraint = Constraint::new("Title").len(1, 50);
const EMAIL_ADDRESS: Constraint = Constraint::new("EmailAddress")
    .len(1, 254)
    .pattern(Pattern::AccountEmail);
const PHONE_NUMBER: Constraint = Constraint::new("PhoneNumber")
    .len(1, 25)
    .pattern(Pattern::AccountPhone);
const FULL_NAME: Constraint = Constraint::new("FullName").len(1, 50);
const ADDRESS_LINE: Constraint = Constraint::new("AddressLine").len(1, 60);
const CITY: Constraint = Constraint::new("City").len(1, 50);
const STATE_OR_REGION: Constraint = Constraint::new("StateOrRegion").len(1, 50);
const DISTRICT_OR_COUNTY: Constraint = Constraint::new("DistrictOrCounty").len(1, 50);
const POSTAL_CODE: Constraint = Constraint::new("PostalCode").len(1, 20);
const COUNTRY_CODE: Constraint = Constraint::new("CountryCode").len(2, 2);
const CONTACT_PHONE: Constraint = Constraint::new("ContactInformationPhoneNumber")
    .len(1, 20)
    .pattern(Pattern::AccountContactPhone);
const COMPANY_NAME: Constraint = Constraint::new("CompanyName").len(1, 50);
const WEBSITE_URL: Constraint = Constraint::new("WebsiteUrl").len(1, 256);
const ACCOUNT_NAME: Constraint = Constraint::new("AccountName")
    .len(1, 50)
    .pattern(Pattern::AccountName);
const REGION_NAME: Constraint = Constraint::new("RegionName").len(1, 50);
const MAX_REGIONS: Constraint = Constraint::new("ListRegionsRequestMaxResultsInteger").len(1, 50);
const REGIONS_TOKEN: Constraint = Constraint::new("ListRegionsRequestNextTokenString").len(0, 1000);
const REGION_STATUSES: Constraint =
    Constraint::new("RegionOptStatusList").item(&RegionOptStatus::CONSTRAINT);
const PRIMARY_EMAIL: Constraint = Constraint::new("PrimaryEmailAddress").len(5, 64);
const OTP: Constraint = Constraint::new("Otp").pattern(Pattern::AccountOtp);

wire_enum! {
    /// Which alternate contact (`AlternateContactType`).
    AlternateContactType "AlternateContactType" { Billing = "BILLING", Operations = "OPERATIONS", Security = "SECURITY" }
}
wire_enum! {
    /// Account state as the Account API reports it (`AccountState`).
    AccountState "AccountState" {
        PendingActivation = "PENDING_ACTIVATION", Active = "ACTIVE", Suspended = "SUSPENDED", Closed = "CLOSED",
    }
}

wire_enum! {
    /// A region's opt-in status (`RegionOptStatus`).
    RegionOptStatus "RegionOptStatus" {
        Enabled = "ENABLED", Enabling = "ENABLING", Disabling = "DISABLING", Disabled = "DISABLED",
        EnabledByDefault = "ENABLED_BY_DEFAULT",
    }
}
wire_enum! {
    /// Where a primary email update stands (`PrimaryEmailUpdateStatus`).
    PrimaryEmailUpdateStatus "PrimaryEmailUpdateStatus" { Pending = "PENDING", Accepted = "ACCEPTED" }
}

/// The `AlternateContactType` of `GetAlternateContact` as sent: AWS answers a value outside
/// the enum with `AccessDeniedException` ("You specified an invalid Alternate Contact
/// type."), not a validation error, so the core decides about it (moto's
/// `test_get_unspecified_alternate_contact` records AWS's answer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestedContactType {
    /// One of the model's values.
    Known(AlternateContactType),
    /// Anything else, as sent.
    Unknown(String),
}

impl Default for RequestedContactType {
    fn default() -> Self {
        Self::Known(AlternateContactType::default())
    }
}

impl RequestedContactType {
    /// The value as sent.
    #[must_use]
    pub fn as_str(&self) -> &str {
        match self {
            Self::Known(t) => t.as_str(),
            Self::Unknown(raw) => raw,
        }
    }
}

impl crate::json::JsonDecode for RequestedContactType {
    const TYPE: crate::schema::WireType = crate::schema::WireType::String;
    fn decode_json(
        value: &serde_json::Value,
        path: &str,
        _c: Option<&'static Constraint>,
        v: &mut JsonViolations,
    ) -> Option<Self> {
        let raw = <String as crate::json::JsonDecode>::decode_json(value, path, None, v)?;
        Some(match AlternateContactType::from_wire(&raw) {
            Some(t) => Self::Known(t),
            None => Self::Unknown(raw),
        })
    }
}

impl crate::json::JsonEncode for RequestedContactType {
    const TYPE: crate::schema::WireType = crate::schema::WireType::String;
    fn to_json(&self) -> serde_json::Value {
        serde_json::Value::from(self.as_str())
    }
}

impl crate::record::Recorded for RequestedContactType {
    fn recorded(&self) -> Option<serde_json::Value> {
        Some(serde_json::Value::from(self.as_str()))
    }
}

json_input! {
    /// The primary contact of an account (`ContactInformation`), in both directions.
    ContactInformation "ContactInformation" {
        req full_name: String = "FullName", Some(&FULL_NAME);
        req address_line1: String = "AddressLine1", Some(&ADDRESS_LINE);
        opt address_line2: String = "AddressLine2", Some(&ADDRESS_LINE);
        opt address_line3: String = "AddressLine3", Some(&ADDRESS_LINE);
        req city: String = "City", Some(&CITY);
        opt state_or_region: String = "StateOrRegion", Some(&STATE_OR_REGION);
        opt district_or_county: String = "DistrictOrCounty", Some(&DISTRICT_OR_COUNTY);
        req postal_code: String = "PostalCode", Some(&POSTAL_CODE);
        req country_code: String = "CountryCode", Some(&COUNTRY_CODE);
        req phone_number: String = "PhoneNumber", Some(&CONTACT_PHONE);
        opt company_name: String = "CompanyName", Some(&COMPANY_NAME);
        opt website_url: String = "WebsiteUrl", Some(&WEBSITE_URL);
    }
}

json_structure! {
    /// An alternate contact (`AlternateContact`).
    AlternateContact "AlternateContact" {
        req name: String = "Name";
        req title: String = "Title";
        req email_address: String = "EmailAddress";
        req phone_number: String = "PhoneNumber";
        req alternate_contact_type: AlternateContactType = "AlternateContactType";
    }
}

// ---- Inputs ----
json_input! {
    /// Input of `PutAlternateContact`.
    PutAlternateContactInput "PutAlternateContactRequest" {
        req name: String = "Name", Some(&NAME);
        req title: String = "Title", Some(&TITLE);
        req email_address: String = "EmailAddress", Some(&EMAIL_ADDRESS);
        req phone_number: String = "PhoneNumber", Some(&PHONE_NUMBER);
        req alternate_contact_type: AlternateContactType = "AlternateContactType", Some(&AlternateContactType::CONSTRAINT);
        opt account_id: String = "AccountId", Some(&ACCOUNT_ID);
    }
}
json_input! {
    /// Input of `GetAlternateContact`.
    GetAlternateContactInput "GetAlternateContactRequest" {
        req alternate_contact_type: RequestedContactType = "AlternateContactType", Some(&AlternateContactType::CONSTRAINT);
        opt account_id: String = "AccountId", Some(&ACCOUNT_ID);
    }
}
json_input! {
    /// Input of `DeleteAlternateContact`.
    DeleteAlternateContactInput "DeleteAlternateContactRequest" {
        req alternate_contact_type: AlternateContactType = "AlternateContactType", Some(&AlternateContactType::CONSTRAINT);
        opt account_id: String = "AccountId", Some(&ACCOUNT_ID);
    }
}
json_input! {
    /// Input of `PutContactInformation`.
    PutContactInformationInput "PutContactInformationRequest" {
        req contact_information: ContactInformation = "ContactInformation", None;
        opt account_id: String = "AccountId", Some(&ACCOUNT_ID);
    }
}
json_input! {
    /// Input of `GetContactInformation`.
    GetContactInformationInput "GetContactInformationRequest" {
        opt account_id: String = "AccountId", Some(&ACCOUNT_ID);
    }
}
json_input! {
    /// Input of `GetAccountInformation`.
    GetAccountInformationInput "GetAccountInformationRequest" {
        opt account_id: String = "AccountId", Some(&ACCOUNT_ID);
    }
}
json_input! {
    /// Input of `PutAccountName`.
    PutAccountNameInput "PutAccountNameRequest" {
        req account_name: String = "AccountName", Some(&ACCOUNT_NAME);
        opt account_id: String = "AccountId", Some(&ACCOUNT_ID);
    }
}
json_input! {
    /// Input of `GetPrimaryEmail` (`AccountId` is required here).
    GetPrimaryEmailInput "GetPrimaryEmailRequest" {
        req account_id: String = "AccountId", Some(&ACCOUNT_ID);
    }
}

json_input! {
    /// Input of `ListRegions`.
    ListRegionsInput "ListRegionsRequest" {
        opt account_id: String = "AccountId", Some(&ACCOUNT_ID);
        opt max_results: i32 = "MaxResults", Some(&MAX_REGIONS);
        opt next_token: String = "NextToken", Some(&REGIONS_TOKEN);
        opt region_opt_status_contains: Vec<RegionOptStatus> = "RegionOptStatusContains", Some(&REGION_STATUSES);
    }
}
json_input! {
    /// Input of `GetRegionOptStatus`.
    GetRegionOptStatusInput "GetRegionOptStatusRequest" {
        opt account_id: String = "AccountId", Some(&ACCOUNT_ID);
        req region_name: String = "RegionName", Some(&REGION_NAME);
    }
}
json_input! {
    /// Input of `EnableRegion`.
    EnableRegionInput "EnableRegionRequest" {
        opt account_id: String = "AccountId", Some(&ACCOUNT_ID);
        req region_name: String = "RegionName", Some(&REGION_NAME);
    }
}
json_input! {
    /// Input of `DisableRegion`.
    DisableRegionInput "DisableRegionRequest" {
        opt account_id: String = "AccountId", Some(&ACCOUNT_ID);
        req region_name: String = "RegionName", Some(&REGION_NAME);
    }
}
json_input! {
    /// Input of `StartPrimaryEmailUpdate` (`AccountId` is required: a member account).
    StartPrimaryEmailUpdateInput "StartPrimaryEmailUpdateRequest" {
        req account_id: String = "AccountId", Some(&ACCOUNT_ID);
        req primary_email: String = "PrimaryEmail", Some(&PRIMARY_EMAIL);
    }
}
json_input! {
    /// Input of `AcceptPrimaryEmailUpdate`; `Otp` is withheld from the audit trail.
    AcceptPrimaryEmailUpdateInput "AcceptPrimaryEmailUpdateRequest" {
        req account_id: String = "AccountId", Some(&ACCOUNT_ID);
        req primary_email: String = "PrimaryEmail", Some(&PRIMARY_EMAIL);
        req otp: String = "Otp", Some(&OTP);
    }
}
json_input! {
    /// Input of `GetGovCloudAccountInformation`.
    GetGovCloudAccountInformationInput "GetGovCloudAccountInformationRequest" {
        opt standard_account_id: String = "StandardAccountId", Some(&ACCOUNT_ID);
    }
}

// ---- Outputs ----
json_structure! {
    /// Output of `GetAlternateContact`.
    GetAlternateContactOutput "GetAlternateContactResponse" {
        req alternate_contact: AlternateContact = "AlternateContact";
    }
}
json_structure! {
    /// Output of `GetContactInformation`.
    GetContactInformationOutput "GetContactInformationResponse" {
        req contact_information: ContactInformation = "ContactInformation";
    }
}
json_structure! {
    /// Output of `GetAccountInformation` (`AccountCreatedDate` as an ISO 8601 string, §3).
    GetAccountInformationOutput "GetAccountInformationResponse" {
        req account_id: String = "AccountId";
        req account_name: String = "AccountName";
        req account_created_date: IsoTimestamp = "AccountCreatedDate";
        opt account_state: AccountState = "AccountState";
    }
}
json_structure! {
    /// Output of `GetPrimaryEmail`.
    GetPrimaryEmailOutput "GetPrimaryEmailResponse" {
        req primary_email: String = "PrimaryEmail";
    }
}

json_structure! {
    /// A region and its opt-in status (`Region`).
    Region "Region" {
        opt region_name: String = "RegionName";
        opt region_opt_status: RegionOptStatus = "RegionOptStatus";
    }
}
json_structure! {
    /// Output of `ListRegions`.
    ListRegionsOutput "ListRegionsResponse" {
        opt next_token: String = "NextToken";
        opt regions: Vec<Region> = "Regions";
    }
}
json_structure! {
    /// Output of `GetRegionOptStatus`.
    GetRegionOptStatusOutput "GetRegionOptStatusResponse" {
        opt region_name: String = "RegionName";
        opt region_opt_status: RegionOptStatus = "RegionOptStatus";
    }
}
json_structure! {
    /// Output of `StartPrimaryEmailUpdate`.
    StartPrimaryEmailUpdateOutput "StartPrimaryEmailUpdateResponse" {
        opt status: PrimaryEmailUpdateStatus = "Status";
    }
}
json_structure! {
    /// Output of `AcceptPrimaryEmailUpdate`.
    AcceptPrimaryEmailUpdateOutput "AcceptPrimaryEmailUpdateResponse" {
        opt status: PrimaryEmailUpdateStatus = "Status";
    }
}
json_structure! {
    /// Output of `GetGovCloudAccountInformation`.
    GetGovCloudAccountInformationOutput "GetGovCloudAccountInformationResponse" {
        req gov_cloud_account_id: String = "GovCloudAccountId";
        req account_state: AccountState = "AccountState";
    }
}

json_operations! {
    decode_error: JsonViolations::into_account_error;
    respond: crate::json::rest_json_response;
    empty: crate::json::rest_json_empty;
    with_output {
        GetAlternateContact(GetAlternateContactInput => GetAlternateContactOutput),
        GetContactInformation(GetContactInformationInput => GetContactInformationOutput),
        GetAccountInformation(GetAccountInformationInput => GetAccountInformationOutput),
        GetPrimaryEmail(GetPrimaryEmailInput => GetPrimaryEmailOutput),
        ListRegions(ListRegionsInput => ListRegionsOutput),
        GetRegionOptStatus(GetRegionOptStatusInput => GetRegionOptStatusOutput),
        StartPrimaryEmailUpdate(StartPrimaryEmailUpdateInput => StartPrimaryEmailUpdateOutput),
        AcceptPrimaryEmailUpdate(AcceptPrimaryEmailUpdateInput => AcceptPrimaryEmailUpdateOutput),
        GetGovCloudAccountInformation(GetGovCloudAccountInformationInput => GetGovCloudAccountInformationOutput),
    }
    without_output {
        PutAlternateContact(PutAlternateContactInput),
        DeleteAlternateContact(DeleteAlternateContactInput),
        PutContactInformation(PutContactInformationInput),
        PutAccountName(PutAccountNameInput),
        EnableRegion(EnableRegionInput),
        DisableRegion(DisableRegionInput),
    }
}

/// `ResourceNotFoundException` (404) as GetAlternateContact sends it when none is set.
#[must_use]
pub fn alternate_contact_not_found() -> WireError {
    WireError::new(
        crate::ErrorCode::ResourceNotFoundException,
        "No contact of the inputted alternate contact type found.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ErrorCode, Protocol, Timestamp, WireResponse};
    use serde_json::json;

    fn body(r: &WireResponse) -> String {
        String::from_utf8(r.body.clone()).unwrap()
    }

    #[test]
    fn put_alternate_contact_decodes_captured_body() {
        let op = Operation::decode(
            "PutAlternateContact",
            &json!({"Name": "Sec Team", "Title": "CISO", "EmailAddress": "sec@example.com", "PhoneNumber": "+1-555-0100", "AlternateContactType": "SECURITY"}),
        )
        .unwrap();
        assert_eq!(
            op,
            Operation::PutAlternateContact(PutAlternateContactInput {
                name: "Sec Team".into(),
                title: "CISO".into(),
                email_address: "sec@example.com".into(),
                phone_number: "+1-555-0100".into(),
                alternate_contact_type: AlternateContactType::Security,
                account_id: None,
            })
        );
        assert!(!op.has_output());
        let r = Output::Empty.encode("r9");
        assert_eq!(r.status, 200);
        assert_eq!(r.content_type, "application/json");
        assert!(r.body.is_empty());
        assert_eq!(r.header("x-amzn-RequestId"), Some("r9"));
    }

    #[test]
    fn validation_exception_lists_every_field() {
        let e = Operation::decode(
            "PutAlternateContact",
            &json!({"Name": "", "Title": "t", "EmailAddress": "nope", "PhoneNumber": "555", "AlternateContactType": "LEGAL", "AccountId": "12"}),
        )
        .unwrap_err();
        let r = e.render(Protocol::RestJson, "r");
        assert_eq!(r.status, 400);
        assert_eq!(r.header("x-amzn-ErrorType"), Some("ValidationException"));
        assert_eq!(
            body(&r),
            concat!(
                r#"{"message":"4 validation errors detected: "#,
                r#"Value at 'Name' failed to satisfy constraint: Member must have length greater than or equal to 1; "#,
                r#"Value at 'EmailAddress' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\s]*[\\w+=.#|!&-]+@[\\w.-]+\\.[\\w]+[\\s]*; "#,
                r#"Value at 'AlternateContactType' failed to satisfy constraint: Member must satisfy enum value set: [BILLING, OPERATIONS, SECURITY]; "#,
                r#"Value at 'AccountId' failed to satisfy constraint: Member must satisfy regular expression pattern: \\d{12}","#,
                r#""reason":"fieldValidationFailed","fieldList":["#,
                r#"{"message":"Member must have length greater than or equal to 1","name":"Name"},"#,
                r#"{"message":"Member must satisfy regular expression pattern: [\\s]*[\\w+=.#|!&-]+@[\\w.-]+\\.[\\w]+[\\s]*","name":"EmailAddress"},"#,
                r#"{"message":"Member must satisfy enum value set: [BILLING, OPERATIONS, SECURITY]","name":"AlternateContactType"},"#,
                r#"{"message":"Member must satisfy regular expression pattern: \\d{12}","name":"AccountId"}]}"#
            )
        );
        let e = Operation::decode(
            "PutContactInformation",
            &json!({"ContactInformation": {"FullName": "A"}}),
        )
        .unwrap_err();
        let names: Vec<_> = e
            .field("fieldList")
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["name"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(
            names,
            vec![
                "ContactInformation.AddressLine1",
                "ContactInformation.City",
                "ContactInformation.PostalCode",
                "ContactInformation.CountryCode",
                "ContactInformation.PhoneNumber"
            ]
        );
        assert_eq!(
            Operation::decode("PutAccountName", &json!({"AccountName": 5}))
                .unwrap_err()
                .code,
            ErrorCode::SerializationException
        );
        assert_eq!(
            Operation::decode("ListRegion", &json!({}))
                .unwrap_err()
                .code,
            ErrorCode::UnknownOperationException
        );
    }

    #[test]
    fn get_alternate_contact_keeps_an_unknown_type_for_the_core() {
        let op = Operation::decode(
            "GetAlternateContact",
            &json!({"AlternateContactType": "LEGAL"}),
        )
        .unwrap();
        assert_eq!(
            op,
            Operation::GetAlternateContact(GetAlternateContactInput {
                alternate_contact_type: RequestedContactType::Unknown("LEGAL".into()),
                account_id: None,
            })
        );
        let op = Operation::decode(
            "GetAlternateContact",
            &json!({"AlternateContactType": "BILLING"}),
        )
        .unwrap();
        assert!(matches!(op, Operation::GetAlternateContact(ref i)
            if i.alternate_contact_type == RequestedContactType::Known(AlternateContactType::Billing)));
        let e = Operation::decode("GetAlternateContact", &json!({"AlternateContactType": 3}))
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::SerializationException);
    }

    #[test]
    fn every_modeled_operation_is_served_and_codes_stay_out_of_the_trail() {
        // account/2021-02-01 has 15 operations (the botocore walk checks each shape).
        assert_eq!(SERVED_OPERATIONS.len(), 15);
        let op = Operation::decode(
            "AcceptPrimaryEmailUpdate",
            &json!({"AccountId": "123456789012", "PrimaryEmail": "new@example.com", "Otp": "123456"}),
        )
        .unwrap();
        let recorded = crate::record::Recorded::recorded(&op).unwrap().to_string();
        assert!(recorded.contains("new@example.com"), "{recorded}");
        assert!(!recorded.contains("123456\""), "{recorded}");
        assert!(!recorded.contains("otp"), "{recorded}");
    }

    #[test]
    fn account_patterns() {
        assert!(Pattern::AccountEmail.matches(" sec+x@example.co.uk "));
        assert!(!Pattern::AccountEmail.matches("sec@example"));
        assert!(Pattern::AccountPhone.matches("+1 (555) 010-0"));
        assert!(!Pattern::AccountPhone.matches("555x"));
        assert!(Pattern::AccountContactPhone.matches("+1 206 555 0100"));
        assert!(!Pattern::AccountContactPhone.matches("1 206"));
        assert!(Pattern::AccountName.matches("My Account 1"));
        assert!(!Pattern::AccountName.matches("a<b"));
        assert!(Pattern::AccountId12.matches("123456789012"));
    }

    #[test]
    fn outputs_json_is_exact() {
        let r = Output::from(GetAccountInformationOutput {
            account_id: "123456789012".into(),
            account_name: "Dev".into(),
            account_created_date: IsoTimestamp(Timestamp(1_577_836_800)),
            account_state: Some(AccountState::Active),
        })
        .encode("r");
        assert_eq!(
            body(&r),
            r#"{"AccountCreatedDate":"2020-01-01T00:00:00Z","AccountId":"123456789012","AccountName":"Dev","AccountState":"ACTIVE"}"#
        );
        let r = Output::from(GetAlternateContactOutput {
            alternate_contact: AlternateContact {
                name: "Sec Team".into(),
                title: "CISO".into(),
                email_address: "sec@example.com".into(),
                phone_number: "+1-555-0100".into(),
                alternate_contact_type: AlternateContactType::Security,
            },
        })
        .encode("r");
        assert_eq!(
            body(&r),
            r#"{"AlternateContact":{"AlternateContactType":"SECURITY","EmailAddress":"sec@example.com","Name":"Sec Team","PhoneNumber":"+1-555-0100","Title":"CISO"}}"#
        );
        let r = Output::from(GetPrimaryEmailOutput {
            primary_email: "root@example.com".into(),
        })
        .encode("r");
        assert_eq!(body(&r), r#"{"PrimaryEmail":"root@example.com"}"#);
        let r = alternate_contact_not_found().render(Protocol::RestJson, "r");
        assert_eq!(r.status, 404);
        assert_eq!(
            r.header("x-amzn-ErrorType"),
            Some("ResourceNotFoundException")
        );
    }
}
