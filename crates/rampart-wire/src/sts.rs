//! STS (awsQuery, `2011-06-15`): typed inputs and outputs of the operations we
//! serve, decoded from [`QueryParams`](crate::QueryParams) and encoded as XML
//! in the STS namespace. No domain rule: who the caller is comes from the core.

use crate::query::QueryService;

input! {
    /// Input of `GetCallerIdentity` (no members).
    GetCallerIdentityInput "GetCallerIdentityRequest" {}
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
    }
    without_output {}
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::QueryParams;

    #[test]
    fn get_caller_identity_xml_is_exact() {
        let op = Operation::decode("GetCallerIdentity", &QueryParams::parse(b"Action=GetCallerIdentity&Version=2011-06-15").unwrap()).unwrap();
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
    fn unknown_sts_action_is_invalid_action() {
        let e = Operation::decode("AssumeRoot", &QueryParams::default()).unwrap_err();
        assert_eq!(e.code, crate::ErrorCode::InvalidAction);
        assert_eq!(e.message, "Could not find operation AssumeRoot for version 2011-06-15");
    }
}
