//! IAM temporary delegation and outbound web identity federation (the 2025 additions to
//! the IAM model): the delegation request shapes, the eight `*DelegationRequest*` /
//! `SendDelegationToken` operations' inputs and outputs, and the three
//! `*OutboundWebIdentityFederation*` operations'. Declared here, listed in the parent's
//! operation table.

use crate::schema::{Constraint, Pattern};
use crate::timestamp::Timestamp;
use crate::xml::{XmlMembers, XmlValue, XmlWriter};

use super::{MARKER, MAX_ITEMS};

const DELEGATION_REQUEST_ID: Constraint = Constraint::new("delegationRequestIdType")
    .len(16, 128)
    .pattern(Pattern::WordDash);
const ACCOUNT_ID: Constraint = Constraint::new("accountIdType").pattern(Pattern::AccountId12);
const DESCRIPTION: Constraint = Constraint::new("delegationRequestDescriptionType")
    .max(1000)
    .pattern(Pattern::RoleDescription);
const REQUEST_MESSAGE: Constraint = Constraint::new("requestMessageType")
    .max(200)
    .pattern(Pattern::RoleDescription);
const WORKFLOW_ID: Constraint = Constraint::new("requestorWorkflowIdType")
    .len(5, 400)
    .pattern(Pattern::RequestorWorkflowId);
const REDIRECT_URL: Constraint = Constraint::new("redirectUrlType")
    .len(1, 255)
    .pattern(Pattern::RedirectUrl);
const NOTIFICATION_CHANNEL: Constraint = Constraint::new("notificationChannelType")
    .len(2, 400)
    .pattern(Pattern::NotificationChannel);
const SESSION_DURATION: Constraint = Constraint::new("sessionDurationType").len(300, 43_200);
const NOTES: Constraint = Constraint::new("notesType")
    .max(500)
    .pattern(Pattern::RoleDescription);
const OWNER_ID: Constraint = Constraint::new("ownerIdType")
    .len(20, 2048)
    .pattern(Pattern::OwnerId);
const TEMPLATE_ARN: Constraint = Constraint::new("arnType").len(20, 2048);
const PARAMETER_NAME: Constraint = Constraint::new("policyParameterNameType")
    .len(5, 256)
    .pattern(Pattern::PrintableRange);
const PARAMETER_VALUE: Constraint =
    Constraint::new("policyParameterValueType").pattern(Pattern::PrintableRange);
const PARAMETER_VALUES: Constraint =
    Constraint::new("policyParameterValuesListType").item(&PARAMETER_VALUE);
const PARAMETER_LIST: Constraint = Constraint::new("policyParameterListType").max(50);

wire_enum! {
    /// Type of a delegation policy parameter (`PolicyParameterTypeEnum`).
    PolicyParameterType "PolicyParameterTypeEnum" { String = "string", StringList = "stringList" }
}
wire_enum! {
    /// Where a delegation request stands (`stateType`).
    DelegationState "stateType" {
        Unassigned = "UNASSIGNED", Assigned = "ASSIGNED", PendingApproval = "PENDING_APPROVAL",
        Finalized = "FINALIZED", Accepted = "ACCEPTED", Rejected = "REJECTED", Expired = "EXPIRED",
    }
}
wire_enum! {
    /// Progress of a delegation permission check (`permissionCheckStatusType`).
    PermissionCheckStatus "permissionCheckStatusType" { Complete = "COMPLETE", InProgress = "IN_PROGRESS", Failed = "FAILED" }
}
wire_enum! {
    /// Outcome of a delegation permission check (`permissionCheckResultType`).
    PermissionCheckResult "permissionCheckResultType" { Allowed = "ALLOWED", Denied = "DENIED", Unsure = "UNSURE" }
}

input! {
    /// A parameter of a delegation policy template (`PolicyParameter`), in and out.
    PolicyParameter "PolicyParameter" {
        opt name: String = "Name", Some(&PARAMETER_NAME);
        opt values: Vec<String> = "Values", Some(&PARAMETER_VALUES);
        opt r#type: PolicyParameterType = "Type", Some(&PolicyParameterType::CONSTRAINT);
    }
}

impl XmlValue for PolicyParameter {
    const TYPE: crate::schema::WireType = crate::schema::WireType::Structure(&Self::INFO);
    fn write_xml(&self, name: &str, w: &mut XmlWriter) {
        w.open(name);
        if let Some(n) = &self.name {
            n.write_xml("Name", w);
        }
        if let Some(v) = &self.values {
            v.write_xml("Values", w);
        }
        if let Some(t) = &self.r#type {
            t.write_xml("Type", w);
        }
        w.close(name);
    }
}

input! {
    /// The permissions a delegation request asks for (`DelegationPermission`), in and out.
    DelegationPermission "DelegationPermission" {
        opt policy_template_arn: String = "PolicyTemplateArn", Some(&TEMPLATE_ARN);
        opt parameters: Vec<PolicyParameter> = "Parameters", Some(&PARAMETER_LIST);
    }
}

impl XmlMembers for DelegationPermission {
    fn write_members(&self, w: &mut XmlWriter) {
        if let Some(arn) = &self.policy_template_arn {
            arn.write_xml("PolicyTemplateArn", w);
        }
        if let Some(p) = &self.parameters {
            p.write_xml("Parameters", w);
        }
    }
}

impl XmlValue for DelegationPermission {
    const TYPE: crate::schema::WireType = crate::schema::WireType::Structure(&Self::INFO);
    fn write_xml(&self, name: &str, w: &mut XmlWriter) {
        w.open(name);
        self.write_members(w);
        w.close(name);
    }
}

structure! {
    /// A delegation request as IAM shows it (`DelegationRequest`).
    DelegationRequest "DelegationRequest" {
        opt delegation_request_id: String = "DelegationRequestId";
        opt owner_account_id: String = "OwnerAccountId";
        opt description: String = "Description";
        opt request_message: String = "RequestMessage";
        opt permissions: DelegationPermission = "Permissions";
        opt permission_policy: String = "PermissionPolicy";
        opt role_permission_restriction_arns: Vec<String> = "RolePermissionRestrictionArns";
        opt owner_id: String = "OwnerId";
        opt approver_id: String = "ApproverId";
        opt state: DelegationState = "State";
        opt expiration_time: Timestamp = "ExpirationTime";
        opt requestor_id: String = "RequestorId";
        opt requestor_name: String = "RequestorName";
        opt create_date: Timestamp = "CreateDate";
        opt session_duration: i32 = "SessionDuration";
        opt redirect_url: String = "RedirectUrl";
        opt notes: String = "Notes";
        opt rejection_reason: String = "RejectionReason";
        opt only_send_by_owner: bool = "OnlySendByOwner";
        opt updated_time: Timestamp = "UpdatedTime";
    }
}

input! {
    /// Input of `CreateDelegationRequest`.
    CreateDelegationRequestInput "CreateDelegationRequestRequest" {
        opt owner_account_id: String = "OwnerAccountId", Some(&ACCOUNT_ID);
        req description: String = "Description", Some(&DESCRIPTION);
        req permissions: DelegationPermission = "Permissions", None;
        opt request_message: String = "RequestMessage", Some(&REQUEST_MESSAGE);
        req requestor_workflow_id: String = "RequestorWorkflowId", Some(&WORKFLOW_ID);
        opt redirect_url: String = "RedirectUrl", Some(&REDIRECT_URL);
        req notification_channel: String = "NotificationChannel", Some(&NOTIFICATION_CHANNEL);
        req session_duration: i32 = "SessionDuration", Some(&SESSION_DURATION);
        opt only_send_by_owner: bool = "OnlySendByOwner", None;
    }
}
structure! {
    /// Output of `CreateDelegationRequest`.
    CreateDelegationRequestOutput "CreateDelegationRequestResponse" {
        opt console_deep_link: String = "ConsoleDeepLink";
        opt delegation_request_id: String = "DelegationRequestId";
    }
}
input! {
    /// Input of `GetDelegationRequest`.
    GetDelegationRequestInput "GetDelegationRequestRequest" {
        req delegation_request_id: String = "DelegationRequestId", Some(&DELEGATION_REQUEST_ID);
        opt delegation_permission_check: bool = "DelegationPermissionCheck", None;
    }
}
structure! {
    /// Output of `GetDelegationRequest`.
    GetDelegationRequestOutput "GetDelegationRequestResponse" {
        opt delegation_request: DelegationRequest = "DelegationRequest";
        opt permission_check_status: PermissionCheckStatus = "PermissionCheckStatus";
        opt permission_check_result: PermissionCheckResult = "PermissionCheckResult";
    }
}
input! {
    /// Input of `ListDelegationRequests`.
    ListDelegationRequestsInput "ListDelegationRequestsRequest" {
        opt owner_id: String = "OwnerId", Some(&OWNER_ID);
        opt marker: String = "Marker", Some(&MARKER);
        opt max_items: i32 = "MaxItems", Some(&MAX_ITEMS);
    }
}
structure! {
    /// Output of `ListDelegationRequests` (the model spells `isTruncated` in lower camel case).
    ListDelegationRequestsOutput "ListDelegationRequestsResponse" {
        req delegation_requests: Vec<DelegationRequest> = "DelegationRequests";
        opt marker: String = "Marker";
        req is_truncated: bool = "isTruncated";
    }
}
input! {
    /// Input of `AcceptDelegationRequest`.
    AcceptDelegationRequestInput "AcceptDelegationRequestRequest" {
        req delegation_request_id: String = "DelegationRequestId", Some(&DELEGATION_REQUEST_ID);
    }
}
input! {
    /// Input of `AssociateDelegationRequest`.
    AssociateDelegationRequestInput "AssociateDelegationRequestRequest" {
        req delegation_request_id: String = "DelegationRequestId", Some(&DELEGATION_REQUEST_ID);
    }
}
input! {
    /// Input of `RejectDelegationRequest`.
    RejectDelegationRequestInput "RejectDelegationRequestRequest" {
        req delegation_request_id: String = "DelegationRequestId", Some(&DELEGATION_REQUEST_ID);
        opt notes: String = "Notes", Some(&NOTES);
    }
}
input! {
    /// Input of `UpdateDelegationRequest`.
    UpdateDelegationRequestInput "UpdateDelegationRequestRequest" {
        req delegation_request_id: String = "DelegationRequestId", Some(&DELEGATION_REQUEST_ID);
        opt notes: String = "Notes", Some(&NOTES);
    }
}
input! {
    /// Input of `SendDelegationToken`.
    SendDelegationTokenInput "SendDelegationTokenRequest" {
        req delegation_request_id: String = "DelegationRequestId", Some(&DELEGATION_REQUEST_ID);
    }
}

input! {
    /// Input of `EnableOutboundWebIdentityFederation` (the model has no input shape).
    EnableOutboundWebIdentityFederationInput "EnableOutboundWebIdentityFederationRequest" {}
}
structure! {
    /// Output of `EnableOutboundWebIdentityFederation`.
    EnableOutboundWebIdentityFederationOutput "EnableOutboundWebIdentityFederationResponse" {
        opt issuer_identifier: String = "IssuerIdentifier";
    }
}
input! {
    /// Input of `DisableOutboundWebIdentityFederation` (the model has no input shape).
    DisableOutboundWebIdentityFederationInput "DisableOutboundWebIdentityFederationRequest" {}
}
input! {
    /// Input of `GetOutboundWebIdentityFederationInfo` (the model has no input shape).
    GetOutboundWebIdentityFederationInfoInput "GetOutboundWebIdentityFederationInfoRequest" {}
}
structure! {
    /// Output of `GetOutboundWebIdentityFederationInfo`.
    GetOutboundWebIdentityFederationInfoOutput "GetOutboundWebIdentityFederationInfoResponse" {
        opt issuer_identifier: String = "IssuerIdentifier";
        opt jwt_vending_enabled: bool = "JwtVendingEnabled";
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iam::{Operation, Output};
    use crate::query::QueryParams;

    fn decode(body: &str) -> Result<Operation, crate::WireError> {
        let params = QueryParams::parse(body.as_bytes()).unwrap();
        Operation::decode(params.get("Action").unwrap(), &params)
    }

    #[test]
    fn create_delegation_request_decodes_nested_parameters() {
        let op = decode(
            "Action=CreateDelegationRequest&Version=2010-05-08&Description=d\
             &Permissions.PolicyTemplateArn=arn%3Aaws%3Aiam%3A%3A111111111111%3Apolicy%2Ft\
             &Permissions.Parameters.member.1.Name=Bucket&Permissions.Parameters.member.1.Values.member.1=b1\
             &Permissions.Parameters.member.1.Type=stringList&RequestorWorkflowId=wf-01\
             &NotificationChannel=arn%3Aaws%3Asns%3Aus-east-1%3A111111111111%3At&SessionDuration=900",
        )
        .unwrap();
        let Operation::CreateDelegationRequest(i) = op else {
            panic!("wrong op")
        };
        let p = &i.permissions.parameters.unwrap()[0];
        assert_eq!(p.name.as_deref(), Some("Bucket"));
        assert_eq!(p.values, Some(vec!["b1".to_owned()]));
        assert_eq!(p.r#type, Some(PolicyParameterType::StringList));
        let e = decode(
            "Action=CreateDelegationRequest&Description=d&Permissions.PolicyTemplateArn=x\
             &RequestorWorkflowId=wf-01&NotificationChannel=a%2Fb&SessionDuration=60",
        )
        .unwrap_err();
        assert!(e.message.contains("sessionDuration"), "{}", e.message);
        assert!(e.message.contains("notificationChannel"), "{}", e.message);
    }

    #[test]
    fn delegation_request_ids_follow_the_model() {
        assert!(decode("Action=GetDelegationRequest&DelegationRequestId=short").is_err());
        assert!(
            decode("Action=GetDelegationRequest&DelegationRequestId=dr-0123456789abcdef").is_ok()
        );
        assert!(
            decode("Action=GetDelegationRequest&DelegationRequestId=dr-0123456789abcde%21")
                .is_err()
        );
    }

    #[test]
    fn list_output_spells_is_truncated_in_lower_camel_case() {
        let out = Output::from(ListDelegationRequestsOutput {
            delegation_requests: vec![DelegationRequest {
                delegation_request_id: Some("dr-0123456789abcdef".into()),
                state: Some(DelegationState::PendingApproval),
                permissions: Some(DelegationPermission {
                    policy_template_arn: Some("arn:t".into()),
                    parameters: Some(vec![]),
                }),
                ..DelegationRequest::default()
            }],
            marker: None,
            is_truncated: false,
        });
        let xml = String::from_utf8(out.encode("ListDelegationRequests", "r").body).unwrap();
        assert!(xml.contains(
            "<ListDelegationRequestsResult><DelegationRequests><member><DelegationRequestId>dr-0123456789abcdef\
             </DelegationRequestId><Permissions><PolicyTemplateArn>arn:t</PolicyTemplateArn><Parameters/>\
             </Permissions><State>PENDING_APPROVAL</State></member></DelegationRequests>\
             <isTruncated>false</isTruncated></ListDelegationRequestsResult>"
        ), "{xml}");
    }
}
