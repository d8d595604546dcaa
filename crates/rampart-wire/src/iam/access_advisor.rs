//! IAM's access advisor (last accessed information, Organizations access reports),
//! `GetHumanReadableSummary` and `SetSecurityTokenServicePreferences`: their inputs,
//! outputs, structures and enums, as the botocore model spells them. Kept apart from
//! the rest of IAM's shapes so the operation table in `iam.rs` only names them.

use super::{ARN, MARKER, MAX_ITEMS};
use crate::schema::{Constraint, Pattern};
use crate::timestamp::Timestamp;

const JOB_ID: Constraint = Constraint::new("jobIDType").len(36, 36);
const SERVICE_NAMESPACE: Constraint = Constraint::new("serviceNamespaceType")
    .len(1, 64)
    .pattern(Pattern::ServiceNamespace);
const SERVICE_NAMESPACE_LIST: Constraint = Constraint::new("serviceNamespaceListType")
    .len(1, 200)
    .item(&SERVICE_NAMESPACE);
const ORGANIZATIONS_ENTITY_PATH: Constraint = Constraint::new("organizationsEntityPathType")
    .len(19, 427)
    .pattern(Pattern::OrganizationsEntityPath);
const ORGANIZATIONS_POLICY_ID: Constraint =
    Constraint::new("organizationsPolicyIdType").pattern(Pattern::OrgPolicyId);
const LOCALE: Constraint = Constraint::new("localeType").len(2, 12);

wire_enum! {
    /// Report granularity (`AccessAdvisorUsageGranularityType`).
    AccessAdvisorGranularity "AccessAdvisorUsageGranularityType" {
        ServiceLevel = "SERVICE_LEVEL", ActionLevel = "ACTION_LEVEL",
    }
}
wire_enum! {
    /// A report job's status (`jobStatusType`).
    JobStatus "jobStatusType" { InProgress = "IN_PROGRESS", Completed = "COMPLETED", Failed = "FAILED" }
}
wire_enum! {
    /// The kind of entity a policy belongs to (`policyOwnerEntityType`).
    PolicyOwnerEntityType "policyOwnerEntityType" { User = "USER", Role = "ROLE", Group = "GROUP" }
}
wire_enum! {
    /// Inline or managed (`policyType`).
    GrantingPolicyType "policyType" { Inline = "INLINE", Managed = "MANAGED" }
}
wire_enum! {
    /// `GetOrganizationsAccessReport` order (`sortKeyType`).
    AccessReportSortKey "sortKeyType" {
        ServiceNamespaceAscending = "SERVICE_NAMESPACE_ASCENDING",
        ServiceNamespaceDescending = "SERVICE_NAMESPACE_DESCENDING",
        LastAuthenticatedTimeAscending = "LAST_AUTHENTICATED_TIME_ASCENDING",
        LastAuthenticatedTimeDescending = "LAST_AUTHENTICATED_TIME_DESCENDING",
    }
}
wire_enum! {
    /// `GetHumanReadableSummary` state (`summaryStateType`).
    SummaryState "summaryStateType" {
        Available = "AVAILABLE", NotAvailable = "NOT_AVAILABLE", NotSupported = "NOT_SUPPORTED", Failed = "FAILED",
    }
}
wire_enum! {
    /// Version of the tokens the global STS endpoint issues (`globalEndpointTokenVersion`).
    GlobalEndpointTokenVersion "globalEndpointTokenVersion" { V1Token = "v1Token", V2Token = "v2Token" }
}

structure! {
    /// Why a report job failed (`ErrorDetails`).
    ErrorDetails "ErrorDetails" {
        req message: String = "Message";
        req code: String = "Code";
    }
}
structure! {
    /// The last access to one tracked action (`TrackedActionLastAccessed`).
    TrackedActionLastAccessed "TrackedActionLastAccessed" {
        opt action_name: String = "ActionName";
        opt last_accessed_entity: String = "LastAccessedEntity";
        opt last_accessed_time: Timestamp = "LastAccessedTime";
        opt last_accessed_region: String = "LastAccessedRegion";
    }
}
structure! {
    /// The last access to one service (`ServiceLastAccessed`).
    ServiceLastAccessed "ServiceLastAccessed" {
        req service_name: String = "ServiceName";
        opt last_authenticated: Timestamp = "LastAuthenticated";
        req service_namespace: String = "ServiceNamespace";
        opt last_authenticated_entity: String = "LastAuthenticatedEntity";
        opt last_authenticated_region: String = "LastAuthenticatedRegion";
        req total_authenticated_entities: i32 = "TotalAuthenticatedEntities";
        opt tracked_actions_last_accessed: Vec<TrackedActionLastAccessed> = "TrackedActionsLastAccessed";
    }
}
structure! {
    /// A user or role of a report (`EntityInfo`).
    EntityInfo "EntityInfo" {
        req arn: String = "Arn";
        req name: String = "Name";
        req entity_type: PolicyOwnerEntityType = "Type";
        req id: String = "Id";
        opt path: String = "Path";
    }
}
structure! {
    /// When one entity last accessed a service (`EntityDetails`).
    EntityDetails "EntityDetails" {
        req entity_info: EntityInfo = "EntityInfo";
        opt last_authenticated: Timestamp = "LastAuthenticated";
    }
}
structure! {
    /// A policy that allows a service (`PolicyGrantingServiceAccess`).
    PolicyGrantingServiceAccess "PolicyGrantingServiceAccess" {
        req policy_name: String = "PolicyName";
        req policy_type: GrantingPolicyType = "PolicyType";
        opt policy_arn: String = "PolicyArn";
        opt entity_type: PolicyOwnerEntityType = "EntityType";
        opt entity_name: String = "EntityName";
    }
}
structure! {
    /// The policies that allow one service (`ListPoliciesGrantingServiceAccessEntry`).
    ListPoliciesGrantingServiceAccessEntry "ListPoliciesGrantingServiceAccessEntry" {
        opt service_namespace: String = "ServiceNamespace";
        req policies: Vec<PolicyGrantingServiceAccess> = "Policies";
    }
}
structure! {
    /// The last access to one service under an organization path (`AccessDetail`).
    AccessDetail "AccessDetail" {
        req service_name: String = "ServiceName";
        req service_namespace: String = "ServiceNamespace";
        opt region: String = "Region";
        opt entity_path: String = "EntityPath";
        opt last_authenticated_time: Timestamp = "LastAuthenticatedTime";
        req total_authenticated_entities: i32 = "TotalAuthenticatedEntities";
    }
}

input! {
    /// Input of `GenerateServiceLastAccessedDetails`.
    GenerateServiceLastAccessedDetailsInput "GenerateServiceLastAccessedDetailsRequest" {
        req arn: String = "Arn", Some(&ARN);
        opt granularity: AccessAdvisorGranularity = "Granularity", Some(&AccessAdvisorGranularity::CONSTRAINT);
    }
}
structure! {
    /// Output of `GenerateServiceLastAccessedDetails`.
    GenerateServiceLastAccessedDetailsOutput "GenerateServiceLastAccessedDetailsResponse" {
        opt job_id: String = "JobId";
    }
}
input! {
    /// Input of `GetServiceLastAccessedDetails`.
    GetServiceLastAccessedDetailsInput "GetServiceLastAccessedDetailsRequest" {
        req job_id: String = "JobId", Some(&JOB_ID);
        opt max_items: i32 = "MaxItems", Some(&MAX_ITEMS);
        opt marker: String = "Marker", Some(&MARKER);
    }
}
structure! {
    /// Output of `GetServiceLastAccessedDetails`.
    GetServiceLastAccessedDetailsOutput "GetServiceLastAccessedDetailsResponse" {
        req job_status: JobStatus = "JobStatus";
        opt job_type: AccessAdvisorGranularity = "JobType";
        req job_creation_date: Timestamp = "JobCreationDate";
        req services_last_accessed: Vec<ServiceLastAccessed> = "ServicesLastAccessed";
        req job_completion_date: Timestamp = "JobCompletionDate";
        req is_truncated: bool = "IsTruncated";
        opt marker: String = "Marker";
        opt error: ErrorDetails = "Error";
    }
}
input! {
    /// Input of `GetServiceLastAccessedDetailsWithEntities`.
    GetServiceLastAccessedDetailsWithEntitiesInput "GetServiceLastAccessedDetailsWithEntitiesRequest" {
        req job_id: String = "JobId", Some(&JOB_ID);
        req service_namespace: String = "ServiceNamespace", Some(&SERVICE_NAMESPACE);
        opt max_items: i32 = "MaxItems", Some(&MAX_ITEMS);
        opt marker: String = "Marker", Some(&MARKER);
    }
}
structure! {
    /// Output of `GetServiceLastAccessedDetailsWithEntities`.
    GetServiceLastAccessedDetailsWithEntitiesOutput "GetServiceLastAccessedDetailsWithEntitiesResponse" {
        req job_status: JobStatus = "JobStatus";
        req job_creation_date: Timestamp = "JobCreationDate";
        req job_completion_date: Timestamp = "JobCompletionDate";
        req entity_details_list: Vec<EntityDetails> = "EntityDetailsList";
        req is_truncated: bool = "IsTruncated";
        opt marker: String = "Marker";
        opt error: ErrorDetails = "Error";
    }
}
input! {
    /// Input of `ListPoliciesGrantingServiceAccess`.
    ListPoliciesGrantingServiceAccessInput "ListPoliciesGrantingServiceAccessRequest" {
        opt marker: String = "Marker", Some(&MARKER);
        req arn: String = "Arn", Some(&ARN);
        req service_namespaces: Vec<String> = "ServiceNamespaces", Some(&SERVICE_NAMESPACE_LIST);
    }
}
structure! {
    /// Output of `ListPoliciesGrantingServiceAccess`.
    ListPoliciesGrantingServiceAccessOutput "ListPoliciesGrantingServiceAccessResponse" {
        req policies_granting_service_access: Vec<ListPoliciesGrantingServiceAccessEntry> = "PoliciesGrantingServiceAccess";
        req is_truncated: bool = "IsTruncated";
        opt marker: String = "Marker";
    }
}
input! {
    /// Input of `GenerateOrganizationsAccessReport`.
    GenerateOrganizationsAccessReportInput "GenerateOrganizationsAccessReportRequest" {
        req entity_path: String = "EntityPath", Some(&ORGANIZATIONS_ENTITY_PATH);
        opt organizations_policy_id: String = "OrganizationsPolicyId", Some(&ORGANIZATIONS_POLICY_ID);
    }
}
structure! {
    /// Output of `GenerateOrganizationsAccessReport`.
    GenerateOrganizationsAccessReportOutput "GenerateOrganizationsAccessReportResponse" {
        opt job_id: String = "JobId";
    }
}
input! {
    /// Input of `GetOrganizationsAccessReport`.
    GetOrganizationsAccessReportInput "GetOrganizationsAccessReportRequest" {
        req job_id: String = "JobId", Some(&JOB_ID);
        opt max_items: i32 = "MaxItems", Some(&MAX_ITEMS);
        opt marker: String = "Marker", Some(&MARKER);
        opt sort_key: AccessReportSortKey = "SortKey", Some(&AccessReportSortKey::CONSTRAINT);
    }
}
structure! {
    /// Output of `GetOrganizationsAccessReport`.
    GetOrganizationsAccessReportOutput "GetOrganizationsAccessReportResponse" {
        req job_status: JobStatus = "JobStatus";
        req job_creation_date: Timestamp = "JobCreationDate";
        opt job_completion_date: Timestamp = "JobCompletionDate";
        opt number_of_services_accessible: i32 = "NumberOfServicesAccessible";
        opt number_of_services_not_accessed: i32 = "NumberOfServicesNotAccessed";
        opt access_details: Vec<AccessDetail> = "AccessDetails";
        req is_truncated: bool = "IsTruncated";
        opt marker: String = "Marker";
        opt error_details: ErrorDetails = "ErrorDetails";
    }
}
input! {
    /// Input of `GetHumanReadableSummary`.
    GetHumanReadableSummaryInput "GetHumanReadableSummaryRequest" {
        req entity_arn: String = "EntityArn", Some(&ARN);
        opt locale: String = "Locale", Some(&LOCALE);
    }
}
structure! {
    /// Output of `GetHumanReadableSummary`.
    GetHumanReadableSummaryOutput "GetHumanReadableSummaryResponse" {
        opt summary_content: String = "SummaryContent";
        opt locale: String = "Locale";
        opt summary_state: SummaryState = "SummaryState";
    }
}
input! {
    /// Input of `SetSecurityTokenServicePreferences`.
    SetSecurityTokenServicePreferencesInput "SetSecurityTokenServicePreferencesRequest" {
        req global_endpoint_token_version: GlobalEndpointTokenVersion = "GlobalEndpointTokenVersion", Some(&GlobalEndpointTokenVersion::CONSTRAINT);
    }
}
