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
const FEDERATED_NAME: Constraint = Constraint::new("userNameType")
    .len(2, 32)
    .pattern(Pattern::SessionName);
const FEDERATION_POLICY: Constraint = Constraint::new("sessionPolicyDocumentType")
    .len(1, 2048)
    .pattern(Pattern::PolicyDocument);
const ACCESS_KEY_ID: Constraint = Constraint::new("accessKeyIdType")
    .len(16, 128)
    .pattern(Pattern::WordOrEmpty);
const ENCODED_MESSAGE: Constraint = Constraint::new("encodedMessageType").len(1, 10_240);
const TARGET_PRINCIPAL: Constraint = Constraint::new("TargetPrincipalType").len(12, 2048);
const ROOT_DURATION: Constraint = Constraint::new("RootDurationSecondsType").len(0, 900);
const CONTEXT_ASSERTION: Constraint = Constraint::new("contextAssertionType").len(4, 2048);
const PROVIDED_CONTEXTS: Constraint = Constraint::new("ProvidedContextsListType").len(1, 5);
const AUDIENCE: Constraint = Constraint::new("webIdentityTokenAudienceStringType").len(1, 1000);
const AUDIENCE_LIST: Constraint = Constraint::new("webIdentityTokenAudienceListType")
    .len(1, 10)
    .item(&AUDIENCE);
const TOKEN_DURATION: Constraint =
    Constraint::new("webIdentityTokenDurationSecondsType").len(60, 3600);
const JWT_ALGORITHM: Constraint = Constraint::new("jwtAlgorithmType").len(5, 5);

input! {
    /// A trusted context assertion (`ProvidedContext`), e.g. from IAM Identity Center.
    ProvidedContext "ProvidedContext" {
        opt provider_arn: String = "ProviderArn", Some(&ARN);
        opt context_assertion: String = "ContextAssertion", Some(&CONTEXT_ASSERTION);
    }
}

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
    /// Input of `AssumeRole`.
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
        opt provided_contexts: Vec<ProvidedContext> = "ProvidedContexts", Some(&PROVIDED_CONTEXTS);
    }
}

input! {
    /// Input of `GetFederationToken`.
    GetFederationTokenInput "GetFederationTokenRequest" {
        req name: String = "Name", Some(&FEDERATED_NAME);
        opt policy: String = "Policy", Some(&FEDERATION_POLICY);
        opt policy_arns: Vec<PolicyDescriptor> = "PolicyArns", Some(&POLICY_DESCRIPTOR_LIST);
        opt duration_seconds: i32 = "DurationSeconds", Some(&SESSION_DURATION);
        opt tags: Vec<Tag> = "Tags", Some(&TAG_LIST);
    }
}

input! {
    /// Input of `GetAccessKeyInfo`.
    GetAccessKeyInfoInput "GetAccessKeyInfoRequest" {
        req access_key_id: String = "AccessKeyId", Some(&ACCESS_KEY_ID);
    }
}

input! {
    /// Input of `DecodeAuthorizationMessage`.
    DecodeAuthorizationMessageInput "DecodeAuthorizationMessageRequest" {
        req encoded_message: String = "EncodedMessage", Some(&ENCODED_MESSAGE);
    }
}

input! {
    /// Input of `AssumeRoot`: `TaskPolicyArn.arn=…` names the task policy.
    AssumeRootInput "AssumeRootRequest" {
        req target_principal: String = "TargetPrincipal", Some(&TARGET_PRINCIPAL);
        req task_policy_arn: PolicyDescriptor = "TaskPolicyArn", None;
        opt duration_seconds: i32 = "DurationSeconds", Some(&ROOT_DURATION);
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

structure! {
    /// The federated user principal (`FederatedUser`).
    FederatedUser "FederatedUser" {
        req federated_user_id: String = "FederatedUserId";
        req arn: String = "Arn";
    }
}

structure! {
    /// Output of `GetFederationToken`.
    GetFederationTokenOutput "GetFederationTokenResponse" {
        req credentials: Credentials = "Credentials";
        req federated_user: FederatedUser = "FederatedUser";
        opt packed_policy_size: i32 = "PackedPolicySize";
    }
}

structure! {
    /// Output of `GetAccessKeyInfo`.
    GetAccessKeyInfoOutput "GetAccessKeyInfoResponse" {
        req account: String = "Account";
    }
}

structure! {
    /// Output of `DecodeAuthorizationMessage` (the decoded JSON text, XML-escaped on the wire).
    DecodeAuthorizationMessageOutput "DecodeAuthorizationMessageResponse" {
        req decoded_message: String = "DecodedMessage";
    }
}

structure! {
    /// Output of `AssumeRoot`.
    AssumeRootOutput "AssumeRootResponse" {
        req credentials: Credentials = "Credentials";
        opt source_identity: String = "SourceIdentity";
    }
}

input! {
    /// Input of `GetDelegatedAccessToken`: the exchange token IAM sent the partner.
    GetDelegatedAccessTokenInput "GetDelegatedAccessTokenRequest" {
        req trade_in_token: Sensitive = "TradeInToken", None;
    }
}

structure! {
    /// Output of `GetDelegatedAccessToken` (`PackedPolicySize` is never populated).
    GetDelegatedAccessTokenOutput "GetDelegatedAccessTokenResponse" {
        opt credentials: Credentials = "Credentials";
        opt packed_policy_size: i32 = "PackedPolicySize";
        opt assumed_principal: String = "AssumedPrincipal";
    }
}

input! {
    /// Input of `GetWebIdentityToken`.
    GetWebIdentityTokenInput "GetWebIdentityTokenRequest" {
        req audience: Vec<String> = "Audience", Some(&AUDIENCE_LIST);
        opt duration_seconds: i32 = "DurationSeconds", Some(&TOKEN_DURATION);
        req signing_algorithm: String = "SigningAlgorithm", Some(&JWT_ALGORITHM);
        opt tags: Vec<Tag> = "Tags", Some(&TAG_LIST);
    }
}

structure! {
    /// Output of `GetWebIdentityToken`; the JWT is [`Sensitive`].
    GetWebIdentityTokenOutput "GetWebIdentityTokenResponse" {
        opt web_identity_token: Sensitive = "WebIdentityToken";
        opt expiration: Timestamp = "Expiration";
    }
}

operations! {
    service: QueryService::Sts;
    with_output {
        GetCallerIdentity(GetCallerIdentityInput => GetCallerIdentityOutput),
        AssumeRole(AssumeRoleInput => AssumeRoleOutput),
        GetSessionToken(GetSessionTokenInput => GetSessionTokenOutput),
        GetFederationToken(GetFederationTokenInput => GetFederationTokenOutput),
        GetAccessKeyInfo(GetAccessKeyInfoInput => GetAccessKeyInfoOutput),
        DecodeAuthorizationMessage(DecodeAuthorizationMessageInput => DecodeAuthorizationMessageOutput),
        AssumeRoot(AssumeRootInput => AssumeRootOutput),
        GetDelegatedAccessToken(GetDelegatedAccessTokenInput => GetDelegatedAccessTokenOutput),
        GetWebIdentityToken(GetWebIdentityTokenInput => GetWebIdentityTokenOutput),
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

    const NS: &str = "https://sts.amazonaws.com/doc/2011-06-15/";

    fn decode(body: &str) -> Result<Operation, crate::WireError> {
        let params = QueryParams::parse(body.as_bytes()).unwrap();
        Operation::decode(params.get("Action").unwrap(), &params)
    }

    fn creds() -> Credentials {
        Credentials {
            access_key_id: "ASIAIOSFODNN7EXAMPLE".into(),
            secret_access_key: Sensitive::new("s".into()),
            session_token: Sensitive::new("t".into()),
            expiration: Timestamp(0),
        }
    }

    #[test]
    fn get_federation_token_round_trip() {
        let op = decode(
            "Action=GetFederationToken&Version=2011-06-15&Name=bob&DurationSeconds=3600\
             &PolicyArns.member.1.arn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FReadOnlyAccess&Tags.member.1.Key=k&Tags.member.1.Value=v",
        )
        .unwrap();
        let Operation::GetFederationToken(i) = op else {
            panic!("wrong op")
        };
        assert_eq!(i.name, "bob");
        assert_eq!(i.duration_seconds, Some(3600));
        assert_eq!(i.policy_arns.unwrap().len(), 1);
        let e = decode("Action=GetFederationToken&Version=2011-06-15&Name=b").unwrap_err();
        assert_eq!(
            e.message,
            "1 validation error detected: Value 'b' at 'name' failed to satisfy constraint: Member must have length greater than or equal to 2"
        );
        let out = Output::from(GetFederationTokenOutput {
            credentials: creds(),
            federated_user: FederatedUser {
                federated_user_id: "123456789012:bob".into(),
                arn: "arn:aws:sts::123456789012:federated-user/bob".into(),
            },
            packed_policy_size: Some(6),
        });
        assert_eq!(
            String::from_utf8(out.encode("GetFederationToken", "r").body).unwrap(),
            format!(
                "<GetFederationTokenResponse xmlns=\"{NS}\"><GetFederationTokenResult><Credentials>\
                 <AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId><SecretAccessKey>s</SecretAccessKey>\
                 <SessionToken>t</SessionToken><Expiration>1970-01-01T00:00:00Z</Expiration></Credentials>\
                 <FederatedUser><FederatedUserId>123456789012:bob</FederatedUserId>\
                 <Arn>arn:aws:sts::123456789012:federated-user/bob</Arn></FederatedUser>\
                 <PackedPolicySize>6</PackedPolicySize></GetFederationTokenResult><ResponseMetadata>\
                 <RequestId>r</RequestId></ResponseMetadata></GetFederationTokenResponse>"
            )
        );
    }

    #[test]
    fn access_key_info_and_decode_message_xml() {
        let op =
            decode("Action=GetAccessKeyInfo&Version=2011-06-15&AccessKeyId=AKIAIOSFODNN7EXAMPLE")
                .unwrap();
        assert_eq!(
            op,
            Operation::GetAccessKeyInfo(GetAccessKeyInfoInput {
                access_key_id: "AKIAIOSFODNN7EXAMPLE".into()
            })
        );
        assert!(
            decode("Action=GetAccessKeyInfo&Version=2011-06-15&AccessKeyId=AKIA-IOSFODNN7EXAMPLE")
                .is_err()
        );
        let out = Output::from(GetAccessKeyInfoOutput {
            account: "123456789012".into(),
        });
        assert_eq!(
            String::from_utf8(out.encode("GetAccessKeyInfo", "r").body).unwrap(),
            format!(
                "<GetAccessKeyInfoResponse xmlns=\"{NS}\"><GetAccessKeyInfoResult><Account>123456789012</Account>\
                 </GetAccessKeyInfoResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata>\
                 </GetAccessKeyInfoResponse>"
            )
        );
        let op = decode("Action=DecodeAuthorizationMessage&Version=2011-06-15&EncodedMessage=abc")
            .unwrap();
        assert_eq!(op.name(), "DecodeAuthorizationMessage");
        let out = Output::from(DecodeAuthorizationMessageOutput {
            decoded_message: "{\"allowed\":false,\"x\":\"<&>\"}".into(),
        });
        assert!(String::from_utf8(out.encode("DecodeAuthorizationMessage", "r").body).unwrap().contains(
            "<DecodeAuthorizationMessageResult><DecodedMessage>{&quot;allowed&quot;:false,&quot;x&quot;:&quot;&lt;&amp;&gt;&quot;}</DecodedMessage></DecodeAuthorizationMessageResult>"
        ));
    }

    #[test]
    fn assume_root_decodes_task_policy_structure() {
        let op = decode(
            "Action=AssumeRoot&Version=2011-06-15&TargetPrincipal=111122223333\
             &TaskPolicyArn.arn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2Froot-task%2FIAMAuditRootUserCredentials&DurationSeconds=900",
        )
        .unwrap();
        assert_eq!(
            op,
            Operation::AssumeRoot(AssumeRootInput {
                target_principal: "111122223333".into(),
                task_policy_arn: PolicyDescriptor {
                    arn: Some(
                        "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials".into()
                    )
                },
                duration_seconds: Some(900),
            })
        );
        let e = decode("Action=AssumeRoot&Version=2011-06-15&TargetPrincipal=111122223333")
            .unwrap_err();
        assert_eq!(
            e.message,
            "1 validation error detected: Value null at 'taskPolicyArn' failed to satisfy constraint: Member must not be null"
        );
        let out = Output::from(AssumeRootOutput {
            credentials: creds(),
            source_identity: None,
        });
        assert!(String::from_utf8(out.encode("AssumeRoot", "r").body).unwrap().starts_with(&format!(
            "<AssumeRootResponse xmlns=\"{NS}\"><AssumeRootResult><Credentials><AccessKeyId>"
        )));
    }

    #[test]
    fn assume_role_decodes_provided_contexts() {
        let body = "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2FAdmin&RoleSessionName=s1\
             &ProvidedContexts.member.1.ProviderArn=arn%3Aaws%3Aiam%3A%3Aaws%3Acontextprovider%2FIdentityCenter\
             &ProvidedContexts.member.1.ContextAssertion=abcd";
        let Operation::AssumeRole(i) = decode(body).unwrap() else {
            panic!("wrong op")
        };
        assert_eq!(
            i.provided_contexts,
            Some(vec![ProvidedContext {
                provider_arn: Some("arn:aws:iam::aws:contextprovider/IdentityCenter".into()),
                context_assertion: Some("abcd".into()),
            }])
        );
        let e = decode(&format!(
            "{body}&ProvidedContexts.member.2.ContextAssertion=abc"
        ))
        .unwrap_err();
        assert!(
            e.message
                .contains("Value 'abc' at 'providedContexts.2.member.contextAssertion'"),
            "{}",
            e.message
        );
    }

    #[test]
    fn served_operation_count() {
        assert_eq!(SERVED_OPERATIONS.len(), 9);
    }

    #[test]
    fn unknown_sts_action_is_invalid_action() {
        let e = Operation::decode("AssumeRoleWithSAML", &QueryParams::default()).unwrap_err();
        assert_eq!(e.code, crate::ErrorCode::InvalidAction);
        assert_eq!(
            e.message,
            "Could not find operation AssumeRoleWithSAML for version 2011-06-15"
        );
    }
}
