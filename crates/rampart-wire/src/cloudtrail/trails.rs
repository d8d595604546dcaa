//! CloudTrail's trail operations (`CreateTrail` … `ListTrails`, event selectors and tags):
//! their typed inputs and outputs, with the model's member names and the constraints the
//! model states. What a valid trail name, bucket name or selector is, is the core's rule
//! (AWS states it in prose, with an error per rule), not this module's.

use crate::schema::{Constraint, Pattern};
use crate::timestamp::Timestamp;

const TAG_KEY: Constraint = Constraint::new("TagKey").len(1, 128);
const TAG_VALUE: Constraint = Constraint::new("TagValue").len(1, 256);
const TAGS_LIST: Constraint = Constraint::new("TagsList").max(200);
const SELECTOR_NAME: Constraint = Constraint::new("SelectorName")
    .len(0, 1000)
    .pattern(Pattern::AnyLine);
const SELECTOR_FIELD: Constraint = Constraint::new("SelectorField")
    .len(1, 1000)
    .pattern(Pattern::SelectorField);
const OPERATOR_VALUE: Constraint = Constraint::new("OperatorValue")
    .len(1, 2048)
    .pattern(Pattern::NonEmptyLine);
const OPERATOR: Constraint = Constraint::new("Operator").min(1).item(&OPERATOR_VALUE);
const FIELD_SELECTORS: Constraint = Constraint::new("AdvancedFieldSelectors").min(1);

wire_enum! {
    /// Which calls a classic event selector records (`ReadWriteType`).
    ReadWriteType "ReadWriteType" {
        ReadOnly = "ReadOnly",
        WriteOnly = "WriteOnly",
        All = "All",
    }
}

json_input! {
    /// A tag of a trail (`Tag`): the value may be absent.
    Tag "Tag" {
        req key: String = "Key", Some(&TAG_KEY);
        opt value: String = "Value", Some(&TAG_VALUE);
    }
}
json_input! {
    /// Data events of one resource type (`DataResource`); Rampart records none.
    DataResource "DataResource" {
        opt kind: String = "Type", None;
        opt values: Vec<String> = "Values", None;
    }
}
json_input! {
    /// A classic event selector (`EventSelector`).
    EventSelector "EventSelector" {
        opt read_write_type: ReadWriteType = "ReadWriteType", Some(&ReadWriteType::CONSTRAINT);
        opt include_management_events: bool = "IncludeManagementEvents", None;
        opt data_resources: Vec<DataResource> = "DataResources", None;
        opt exclude_management_event_sources: Vec<String> = "ExcludeManagementEventSources", None;
    }
}
json_input! {
    /// One condition of an advanced selector (`AdvancedFieldSelector`).
    AdvancedFieldSelector "AdvancedFieldSelector" {
        req field: String = "Field", Some(&SELECTOR_FIELD);
        opt equals: Vec<String> = "Equals", Some(&OPERATOR);
        opt starts_with: Vec<String> = "StartsWith", Some(&OPERATOR);
        opt ends_with: Vec<String> = "EndsWith", Some(&OPERATOR);
        opt not_equals: Vec<String> = "NotEquals", Some(&OPERATOR);
        opt not_starts_with: Vec<String> = "NotStartsWith", Some(&OPERATOR);
        opt not_ends_with: Vec<String> = "NotEndsWith", Some(&OPERATOR);
    }
}
json_input! {
    /// An advanced event selector (`AdvancedEventSelector`): its field selectors all hold.
    AdvancedEventSelector "AdvancedEventSelector" {
        opt name: String = "Name", Some(&SELECTOR_NAME);
        req field_selectors: Vec<AdvancedFieldSelector> = "FieldSelectors", Some(&FIELD_SELECTORS);
    }
}

json_input! {
    /// Input of `CreateTrail`.
    CreateTrailInput "CreateTrailRequest" {
        req name: String = "Name", None;
        req s3_bucket_name: String = "S3BucketName", None;
        opt s3_key_prefix: String = "S3KeyPrefix", None;
        opt sns_topic_name: String = "SnsTopicName", None;
        opt include_global_service_events: bool = "IncludeGlobalServiceEvents", None;
        opt is_multi_region_trail: bool = "IsMultiRegionTrail", None;
        opt enable_log_file_validation: bool = "EnableLogFileValidation", None;
        opt cloud_watch_logs_log_group_arn: String = "CloudWatchLogsLogGroupArn", None;
        opt cloud_watch_logs_role_arn: String = "CloudWatchLogsRoleArn", None;
        opt kms_key_id: String = "KmsKeyId", None;
        opt is_organization_trail: bool = "IsOrganizationTrail", None;
        opt tags_list: Vec<Tag> = "TagsList", Some(&TAGS_LIST);
    }
}
json_input! {
    /// Input of `UpdateTrail`: absent members keep their value.
    UpdateTrailInput "UpdateTrailRequest" {
        req name: String = "Name", None;
        opt s3_bucket_name: String = "S3BucketName", None;
        opt s3_key_prefix: String = "S3KeyPrefix", None;
        opt sns_topic_name: String = "SnsTopicName", None;
        opt include_global_service_events: bool = "IncludeGlobalServiceEvents", None;
        opt is_multi_region_trail: bool = "IsMultiRegionTrail", None;
        opt enable_log_file_validation: bool = "EnableLogFileValidation", None;
        opt cloud_watch_logs_log_group_arn: String = "CloudWatchLogsLogGroupArn", None;
        opt cloud_watch_logs_role_arn: String = "CloudWatchLogsRoleArn", None;
        opt kms_key_id: String = "KmsKeyId", None;
        opt is_organization_trail: bool = "IsOrganizationTrail", None;
    }
}
json_input! {
    /// Input of `GetTrail`, `DeleteTrail`, `StartLogging`, `StopLogging` and
    /// `GetTrailStatus`: a trail name or ARN.
    TrailNameInput "GetTrailRequest" {
        req name: String = "Name", None;
    }
}
json_input! {
    /// Input of `DescribeTrails`.
    DescribeTrailsInput "DescribeTrailsRequest" {
        opt trail_name_list: Vec<String> = "trailNameList", None;
        opt include_shadow_trails: bool = "includeShadowTrails", None;
    }
}
json_input! {
    /// Input of `PutEventSelectors`: classic or advanced selectors, not both.
    PutEventSelectorsInput "PutEventSelectorsRequest" {
        req trail_name: String = "TrailName", None;
        opt event_selectors: Vec<EventSelector> = "EventSelectors", None;
        opt advanced_event_selectors: Vec<AdvancedEventSelector> = "AdvancedEventSelectors", None;
    }
}
json_input! {
    /// Input of `GetEventSelectors`.
    GetEventSelectorsInput "GetEventSelectorsRequest" {
        req trail_name: String = "TrailName", None;
    }
}
json_input! {
    /// Input of `AddTags` and `RemoveTags`: a trail ARN and tags.
    TagsInput "AddTagsRequest" {
        req resource_id: String = "ResourceId", None;
        req tags_list: Vec<Tag> = "TagsList", Some(&TAGS_LIST);
    }
}
json_input! {
    /// Input of `ListTags`.
    ListTagsInput "ListTagsRequest" {
        req resource_id_list: Vec<String> = "ResourceIdList", None;
        opt next_token: String = "NextToken", None;
    }
}
json_input! {
    /// Input of `ListTrails`.
    ListTrailsInput "ListTrailsRequest" {
        opt next_token: String = "NextToken", None;
    }
}

json_structure! {
    /// A trail's settings (`Trail`).
    Trail "Trail" {
        opt name: String = "Name";
        opt s3_bucket_name: String = "S3BucketName";
        opt s3_key_prefix: String = "S3KeyPrefix";
        opt sns_topic_name: String = "SnsTopicName";
        opt sns_topic_arn: String = "SnsTopicARN";
        opt include_global_service_events: bool = "IncludeGlobalServiceEvents";
        opt is_multi_region_trail: bool = "IsMultiRegionTrail";
        opt home_region: String = "HomeRegion";
        opt trail_arn: String = "TrailARN";
        opt log_file_validation_enabled: bool = "LogFileValidationEnabled";
        opt cloud_watch_logs_log_group_arn: String = "CloudWatchLogsLogGroupArn";
        opt cloud_watch_logs_role_arn: String = "CloudWatchLogsRoleArn";
        opt kms_key_id: String = "KmsKeyId";
        opt has_custom_event_selectors: bool = "HasCustomEventSelectors";
        opt has_insight_selectors: bool = "HasInsightSelectors";
        opt is_organization_trail: bool = "IsOrganizationTrail";
    }
}
json_structure! {
    /// Output of `CreateTrail`: the trail's settings.
    CreateTrailOutput "CreateTrailResponse" {
        opt name: String = "Name";
        opt s3_bucket_name: String = "S3BucketName";
        opt s3_key_prefix: String = "S3KeyPrefix";
        opt sns_topic_name: String = "SnsTopicName";
        opt sns_topic_arn: String = "SnsTopicARN";
        opt include_global_service_events: bool = "IncludeGlobalServiceEvents";
        opt is_multi_region_trail: bool = "IsMultiRegionTrail";
        opt trail_arn: String = "TrailARN";
        opt log_file_validation_enabled: bool = "LogFileValidationEnabled";
        opt cloud_watch_logs_log_group_arn: String = "CloudWatchLogsLogGroupArn";
        opt cloud_watch_logs_role_arn: String = "CloudWatchLogsRoleArn";
        opt kms_key_id: String = "KmsKeyId";
        opt is_organization_trail: bool = "IsOrganizationTrail";
    }
}
json_structure! {
    /// Output of `UpdateTrail`: the trail's settings.
    UpdateTrailOutput "UpdateTrailResponse" {
        opt name: String = "Name";
        opt s3_bucket_name: String = "S3BucketName";
        opt s3_key_prefix: String = "S3KeyPrefix";
        opt sns_topic_name: String = "SnsTopicName";
        opt sns_topic_arn: String = "SnsTopicARN";
        opt include_global_service_events: bool = "IncludeGlobalServiceEvents";
        opt is_multi_region_trail: bool = "IsMultiRegionTrail";
        opt trail_arn: String = "TrailARN";
        opt log_file_validation_enabled: bool = "LogFileValidationEnabled";
        opt cloud_watch_logs_log_group_arn: String = "CloudWatchLogsLogGroupArn";
        opt cloud_watch_logs_role_arn: String = "CloudWatchLogsRoleArn";
        opt kms_key_id: String = "KmsKeyId";
        opt is_organization_trail: bool = "IsOrganizationTrail";
    }
}
json_structure! {
    /// Output of `GetTrail`.
    GetTrailOutput "GetTrailResponse" {
        opt trail: Trail = "Trail";
    }
}
json_structure! {
    /// Output of `DescribeTrails`.
    DescribeTrailsOutput "DescribeTrailsResponse" {
        req trail_list: Vec<Trail> = "trailList";
    }
}
json_structure! {
    /// Output of `GetTrailStatus`.
    GetTrailStatusOutput "GetTrailStatusResponse" {
        opt is_logging: bool = "IsLogging";
        opt latest_delivery_error: String = "LatestDeliveryError";
        opt latest_delivery_time: Timestamp = "LatestDeliveryTime";
        opt start_logging_time: Timestamp = "StartLoggingTime";
        opt stop_logging_time: Timestamp = "StopLoggingTime";
        opt latest_digest_delivery_time: Timestamp = "LatestDigestDeliveryTime";
        opt latest_digest_delivery_error: String = "LatestDigestDeliveryError";
        opt latest_delivery_attempt_time: String = "LatestDeliveryAttemptTime";
        opt latest_notification_attempt_time: String = "LatestNotificationAttemptTime";
        opt latest_notification_attempt_succeeded: String = "LatestNotificationAttemptSucceeded";
        opt latest_delivery_attempt_succeeded: String = "LatestDeliveryAttemptSucceeded";
        opt time_logging_started: String = "TimeLoggingStarted";
        opt time_logging_stopped: String = "TimeLoggingStopped";
    }
}
json_structure! {
    /// Output of `PutEventSelectors`.
    PutEventSelectorsOutput "PutEventSelectorsResponse" {
        opt trail_arn: String = "TrailARN";
        opt event_selectors: Vec<EventSelector> = "EventSelectors";
        opt advanced_event_selectors: Vec<AdvancedEventSelector> = "AdvancedEventSelectors";
    }
}
json_structure! {
    /// Output of `GetEventSelectors`.
    GetEventSelectorsOutput "GetEventSelectorsResponse" {
        opt trail_arn: String = "TrailARN";
        opt event_selectors: Vec<EventSelector> = "EventSelectors";
        opt advanced_event_selectors: Vec<AdvancedEventSelector> = "AdvancedEventSelectors";
    }
}
json_structure! {
    /// The tags of one resource (`ResourceTag`).
    ResourceTag "ResourceTag" {
        opt resource_id: String = "ResourceId";
        req tags_list: Vec<Tag> = "TagsList";
    }
}
json_structure! {
    /// Output of `ListTags`.
    ListTagsOutput "ListTagsResponse" {
        req resource_tag_list: Vec<ResourceTag> = "ResourceTagList";
        opt next_token: String = "NextToken";
    }
}
json_structure! {
    /// One trail of `ListTrails` (`TrailInfo`).
    TrailInfo "TrailInfo" {
        opt trail_arn: String = "TrailARN";
        opt name: String = "Name";
        opt home_region: String = "HomeRegion";
    }
}
json_structure! {
    /// Output of `ListTrails`.
    ListTrailsOutput "ListTrailsResponse" {
        req trails: Vec<TrailInfo> = "Trails";
        opt next_token: String = "NextToken";
    }
}
json_structure! {
    /// Output of `DeleteTrail`: `{}`.
    DeleteTrailOutput "DeleteTrailResponse" {
    }
}
json_structure! {
    /// Output of `StartLogging`: `{}`.
    StartLoggingOutput "StartLoggingResponse" {
    }
}
json_structure! {
    /// Output of `StopLogging`: `{}`.
    StopLoggingOutput "StopLoggingResponse" {
    }
}
json_structure! {
    /// Output of `AddTags`: `{}`.
    AddTagsOutput "AddTagsResponse" {
    }
}
json_structure! {
    /// Output of `RemoveTags`: `{}`.
    RemoveTagsOutput "RemoveTagsResponse" {
    }
}

/// The settings `CreateTrail` and `UpdateTrail` answer with, from a trail.
macro_rules! settings_from_trail {
    ($out:ident) => {
        impl From<Trail> for $out {
            fn from(t: Trail) -> $out {
                $out {
                    name: t.name,
                    s3_bucket_name: t.s3_bucket_name,
                    s3_key_prefix: t.s3_key_prefix,
                    sns_topic_name: t.sns_topic_name,
                    sns_topic_arn: t.sns_topic_arn,
                    include_global_service_events: t.include_global_service_events,
                    is_multi_region_trail: t.is_multi_region_trail,
                    trail_arn: t.trail_arn,
                    log_file_validation_enabled: t.log_file_validation_enabled,
                    cloud_watch_logs_log_group_arn: t.cloud_watch_logs_log_group_arn,
                    cloud_watch_logs_role_arn: t.cloud_watch_logs_role_arn,
                    kms_key_id: t.kms_key_id,
                    is_organization_trail: t.is_organization_trail,
                }
            }
        }
    };
}
settings_from_trail!(CreateTrailOutput);
settings_from_trail!(UpdateTrailOutput);
