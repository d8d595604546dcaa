//! STS (awsQuery, `2011-06-15`): typed inputs and outputs of the operations we
//! serve, decoded from [`QueryParams`](crate::QueryParams) and encoded as XML
//! in the STS namespace. No domain rule: who the caller is comes from the core.

use crate::query::QueryService;
use crate::schema::{Constraint, Pattern};
use crate::timestamp::Timestamp;
use crate::xml::Sensitive;

/// STS's `Tag` shape is identical to IAM's (same name, members and constraints).
pub use crate::iam::Tag;

const ARN: Constraint = Constraint::new("arnType")
    .len(20, 2048)
    .pattern(Pattern::StsArn);
const ROLE_SESSION_NAME: Constraint = Constraint::new("roleSessionNameType")
    .len(2, 64)
    .pattern(Pattern::SessionName);
const SESSION_POLICY: Constraint = Constraint::new("unrestrictedSessionPolicyDocumentType")
    .min(1)
    .pattern(Pattern::PolicyDocument);
const ROLE_DURATION: Constraint = Constraint::new("roleDurationSecondsType").len(900, 43_200);
const SESSION_DURATION: Constraint = Constraint::new("durationSecondsType").len(900, 129_600);
const TAG_LIST: Constraint = Constraint::new("tagListType").max(50);
const TAG_KEY: Constraint = Constraint::new("tagKeyType")
    .len(1, 128)
    .pattern(Pattern::TagKey);
const TAG_KEY_LIST: Constraint = Constraint::new("tagKeyListType").max(50).item(&TAG_KEY);
const EXTERNAL_ID: Constraint = Constraint::new("externalIdType")
    .len(2, 1224)
    .pattern(Pattern::ExternalId);
const SERIAL_NUMBER: Constraint = Constraint::new("serialNumberType")
    .len(9, 256)
    .pattern(Pattern::SerialNumber);
const TOKEN_CODE: Constraint = Constraint::new("tokenCodeType")
    .len(6, 6)
    .pattern(Pattern::TokenCode);
const SOURCE_IDENTITY: Constraint = Constraint::new("sourceIdentityType")
    .len(2, 64)
    .pattern(Pattern::SessionName);
const POLICY_DESCRIPTOR_LIST: Constraint = Constraint::new("policyDescriptorListType");

input! {
    /// A managed session policy (`PolicyDescriptorType`; note the lowercase `arn` member, §1.1).
    PolicyDescriptor "PolicyDescriptorType" {
        opt arn: String = "arn", Some(&ARN);
    }
}

input! {
    /// Input of `GetCallerIdentity` (no members).
    GetCallerIdentityInput "GetCallerIdentityRequest" {}
}

input! {
    /// Input of `AssumeRole` (`ProvidedContexts` is not decoded yet).
    AssumeRoleInput "AssumeRoleRequest" {
        req role_arn: String = "RoleArn", Some(&ARN);
        req role_session_name: String = "RoleSessionName", Some(&ROLE_SESSION_NAME);
        opt policy_arns: Vec<PolicyDescriptor> = "PolicyArns", Some(&POLICY_DESCRIPTOR_LIST);
        opt policy: String = "Policy", Some(&SESSION_POLICY);
        opt duration_seconds: i32 = "DurationSeconds", Some(&ROLE_DURATION);
        opt tags: Vec<Tag> = "Tags", Some(&TAG_LIST);
        opt transitive_tag_keys: Vec<String> = "TransitiveTagKeys", Some(&TAG_KEY_LIST);
        opt external_id: String = "ExternalId", Some(&EXTERNAL_ID);
        opt serial_number: String = "SerialNumber", Some(&SERIAL_NUMBER);
        opt token_code: String = "TokenCode", Some(&TOKEN_CODE);
        opt source_identity: String = "SourceIdentity", Some(&SOURCE_IDENTITY);
    }
}

input! {
    /// Input of `GetSessionToken`.
    GetSessionTokenInput "GetSessionTokenRequest" {
        opt duration_seconds: i32 = "DurationSeconds", Some(&SESSION_DURATION);
        opt serial_number: String = "SerialNumber", Some(&SERIAL_NUMBER);
        opt token_code: String = "TokenCode", Some(&TOKEN_CODE);
    }
}

structure! {
    /// Temporary credentials (`Credentials`); secret and token are [`Sensitive`].
    Credentials "Credentials" {
        req access_key_id: String = "AccessKeyId";
        req secret_access_key: Sensitive = "SecretAccessKey";
        req session_token: Sensitive = "SessionToken";
        req expiration: Timestamp = "Expiration";
    }
}

structure! {
    /// The assumed-role principal (`AssumedRoleUser`).
    AssumedRoleUser "AssumedRoleUser" {
        req assumed_role_id: String = "AssumedRoleId";
        req arn: String = "Arn";
    }
}

structure! {
    /// Output of `AssumeRole`.
    AssumeRoleOutput "AssumeRoleResponse" {
        req credentials: Credentials = "Credentials";
        req assumed_role_user: AssumedRoleUser = "AssumedRoleUser";
        opt packed_policy_size: i32 = "PackedPolicySize";
        opt source_identity: String = "SourceIdentity";
    }
}

structure! {
    /// Output of `GetSessionToken`.
    GetSessionTokenOutput "GetSessionTokenResponse" {
        req credentials: Credentials = "Credentials";
    }
}

structure! {
    /// Output of `GetCallerIdentity`.
    GetCallerIdentityOutput "GetCallerIdentityResponse" {
        req user_id: String = "UserId";
        req account: String = "Account";
        req arn: String = "Arn";
    }
}

operations! {
    service: QueryService::Sts;
    with_output {
        GetCallerIdentity(GetCallerIdentityInput => GetCallerIdentityOutput),
        AssumeRole(AssumeRoleInput => AssumeRoleOutput),
        GetSessionToken(GetSessionTokenInput => GetSessionTokenOutput),
    }
    without_output {}
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::QueryParams;

    #[test]
    fn get_caller_identity_xml_is_exact() {
        let op = Operation::decode(
            "GetCallerIdentity",
            &QueryParams::parse(b"Action=GetCallerIdentity&Version=2011-06-15").unwrap(),
        )
        .unwrap();
        assert_eq!(op.name(), "GetCallerIdentity");
        let out = Output::from(GetCallerIdentityOutput {
            user_id: "AIDAJQABLZS4A3QDU576Q".into(),
            account: "123456789012".into(),
            arn: "arn:aws:iam::123456789012:user/alice".into(),
        });
        let r = out.encode("GetCallerIdentity", "01234567-89ab-4def-8123-456789abcdef");
        assert_eq!(r.status, 200);
        assert_eq!(r.content_type, "text/xml");
        assert_eq!(
            String::from_utf8(r.body).unwrap(),
            "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult>\
             <UserId>AIDAJQABLZS4A3QDU576Q</UserId><Account>123456789012</Account>\
             <Arn>arn:aws:iam::123456789012:user/alice</Arn></GetCallerIdentityResult><ResponseMetadata>\
             <RequestId>01234567-89ab-4def-8123-456789abcdef</RequestId></ResponseMetadata></GetCallerIdentityResponse>"
        );
    }

    #[test]
    fn assume_role_decodes_captured_body() {
        let body = "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2FAdmin&RoleSessionName=s1\
             &PolicyArns.member.1.arn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FReadOnlyAccess&DurationSeconds=1800\
             &Tags.member.1.Key=proj&Tags.member.1.Value=x&Tags.member.2.Key=dept&Tags.member.2.Value=y\
             &TransitiveTagKeys.member.1=proj&ExternalId=ext-1\
             &SerialNumber=arn%3Aaws%3Aiam%3A%3A123456789012%3Amfa%2Falice&TokenCode=123456&SourceIdentity=alice";
        let op =
            Operation::decode("AssumeRole", &QueryParams::parse(body.as_bytes()).unwrap()).unwrap();
        let Operation::AssumeRole(i) = op else {
            panic!("wrong op")
        };
        assert_eq!(i.role_arn, "arn:aws:iam::123456789012:role/Admin");
        assert_eq!(
            i.policy_arns.unwrap()[0].arn.as_deref(),
            Some("arn:aws:iam::aws:policy/ReadOnlyAccess")
        );
        assert_eq!(i.duration_seconds, Some(1800));
        assert_eq!(
            i.tags.unwrap()[1],
            Tag {
                key: "dept".into(),
                value: "y".into()
            }
        );
        assert_eq!(i.transitive_tag_keys, Some(vec!["proj".to_owned()]));
        assert_eq!(i.token_code.as_deref(), Some("123456"));
        assert_eq!(i.source_identity.as_deref(), Some("alice"));
    }

    #[test]
    fn assume_role_duration_out_of_range() {
        let body = "RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2FAdmin&RoleSessionName=s1&DurationSeconds=60";
        let e = Operation::decode("AssumeRole", &QueryParams::parse(body.as_bytes()).unwrap())
            .unwrap_err();
        assert_eq!(
            e.message,
            "1 validation error detected: Value '60' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900"
        );
    }

    #[test]
    fn get_session_token_xml_is_exact() {
        let out = Output::from(GetSessionTokenOutput {
            credentials: Credentials {
                access_key_id: "ASIAIOSFODNN7EXAMPLE".into(),
                secret_access_key: Sensitive::new("secret".into()),
                session_token: Sensitive::new("tok/+=".into()),
                expiration: Timestamp(1_714_570_496),
            },
        });
        assert_eq!(
            String::from_utf8(out.encode("GetSessionToken", "r").body).unwrap(),
            "<GetSessionTokenResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetSessionTokenResult><Credentials>\
             <AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId><SecretAccessKey>secret</SecretAccessKey>\
             <SessionToken>tok/+=</SessionToken><Expiration>2024-05-01T13:34:56Z</Expiration></Credentials>\
             </GetSessionTokenResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetSessionTokenResponse>"
        );
    }

    #[test]
    fn unknown_sts_action_is_invalid_action() {
        let e = Operation::decode("AssumeRoot", &QueryParams::default()).unwrap_err();
        assert_eq!(e.code, crate::ErrorCode::InvalidAction);
        assert_eq!(
            e.message,
            "Could not find operation AssumeRoot for version 2011-06-15"
        );
    }
}
