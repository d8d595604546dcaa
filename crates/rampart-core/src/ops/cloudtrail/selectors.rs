//! Event selectors: what `PutEventSelectors` accepts (classic or advanced, AWS's limits and
//! fields), how they are stored and shown again, and which events they select for a
//! trail's log files.
//!
//! Every event Rampart records is a management event, so a classic selector selects by
//! `ReadWriteType`, `IncludeManagementEvents` and `ExcludeManagementEventSources`, and an
//! advanced one by its field selectors over the record (`eventCategory`, `readOnly`,
//! `eventSource`, `eventName`, …). Data resources are kept and shown but select nothing.

use rampart_wire::cloudtrail as wire;

use crate::error::{CoreError, TrailRule};
use crate::model::{AdvancedSelector, ClassicSelector, FieldSelector, Selectors};

/// The most classic selectors a trail may have.
const MAX_CLASSIC: usize = 5;
/// The most advanced selectors a trail may have.
const MAX_ADVANCED: usize = 500;
/// The most conditions (values) all advanced selectors of a trail may hold.
const MAX_CONDITIONS: usize = 500;
/// The data resource types classic selectors accept.
const DATA_RESOURCE_TYPES: [&str; 3] = [
    "AWS::S3::Object",
    "AWS::Lambda::Function",
    "AWS::DynamoDB::Table",
];
/// The fields advanced selectors accept.
const FIELDS: [&str; 11] = [
    "eventCategory",
    "eventSource",
    "eventName",
    "eventType",
    "readOnly",
    "resources.type",
    "resources.ARN",
    "errorCode",
    "userIdentity.arn",
    "sessionCredentialFromConsole",
    "vpcEndpointId",
];

fn invalid(message: impl Into<String>) -> CoreError {
    TrailRule::InvalidSelectors.error(message)
}

/// The selectors `PutEventSelectors` stores: exactly one of the two lists, within AWS's
/// limits.
pub fn from_input(input: &wire::PutEventSelectorsInput) -> Result<Selectors, CoreError> {
    match (&input.event_selectors, &input.advanced_event_selectors) {
        (Some(_), Some(_)) => Err(TrailRule::InvalidCombination.error(
            "You cannot apply EventSelectors and AdvancedEventSelectors to a trail at the same time.",
        )),
        (None, None) => Err(TrailRule::InvalidCombination
            .error("You must specify either EventSelectors or AdvancedEventSelectors.")),
        (Some(classic), None) => classic_from(classic).map(Selectors::Classic),
        (None, Some(advanced)) => advanced_from(advanced).map(Selectors::Advanced),
    }
}

fn classic_from(selectors: &[wire::EventSelector]) -> Result<Vec<ClassicSelector>, CoreError> {
    if selectors.is_empty() || selectors.len() > MAX_CLASSIC {
        return Err(invalid(
            "You can configure from one to five event selectors for a trail.",
        ));
    }
    selectors
        .iter()
        .map(|s| {
            let data_resources = s
                .data_resources
                .iter()
                .flatten()
                .map(|d| {
                    let kind = d.kind.clone().unwrap_or_default();
                    if !DATA_RESOURCE_TYPES.contains(&kind.as_str()) {
                        return Err(invalid(format!(
                            "Value {kind} for DataResources.Type is invalid."
                        )));
                    }
                    Ok((kind, d.values.clone().unwrap_or_default()))
                })
                .collect::<Result<_, _>>()?;
            Ok(ClassicSelector {
                read_write: s
                    .read_write_type
                    .unwrap_or(wire::ReadWriteType::All)
                    .as_str()
                    .to_owned(),
                include_management: s.include_management_events.unwrap_or(true),
                exclude_sources: s
                    .exclude_management_event_sources
                    .clone()
                    .unwrap_or_default(),
                data_resources,
            })
        })
        .collect()
}

fn advanced_from(
    selectors: &[wire::AdvancedEventSelector],
) -> Result<Vec<AdvancedSelector>, CoreError> {
    if selectors.is_empty() || selectors.len() > MAX_ADVANCED {
        return Err(invalid("Specify from 1 to 500 advanced event selectors."));
    }
    let mut conditions = 0_usize;
    let mut out = Vec::with_capacity(selectors.len());
    for selector in selectors {
        let mut fields = Vec::with_capacity(selector.field_selectors.len());
        for f in &selector.field_selectors {
            if !FIELDS.contains(&f.field.as_str()) {
                return Err(invalid(format!(
                    "Invalid field name {} in the advanced event selector.",
                    f.field
                )));
            }
            let field = FieldSelector {
                field: f.field.clone(),
                equals: f.equals.clone().unwrap_or_default(),
                starts_with: f.starts_with.clone().unwrap_or_default(),
                ends_with: f.ends_with.clone().unwrap_or_default(),
                not_equals: f.not_equals.clone().unwrap_or_default(),
                not_starts_with: f.not_starts_with.clone().unwrap_or_default(),
                not_ends_with: f.not_ends_with.clone().unwrap_or_default(),
            };
            check_field(&field)?;
            conditions = conditions.saturating_add(values(&field).count());
            fields.push(field);
        }
        let category = fields.iter().find(|f| f.field == "eventCategory");
        if category.is_none_or(|c| c.equals.is_empty()) {
            return Err(invalid(
                "Each advanced event selector must have an eventCategory field with an Equals operator.",
            ));
        }
        out.push(AdvancedSelector {
            name: selector.name.clone(),
            fields,
        });
    }
    if conditions > MAX_CONDITIONS {
        return Err(invalid(
            "The advanced event selectors of a trail can have at most 500 conditions.",
        ));
    }
    Ok(out)
}

/// Every value a field selector holds, over all its operators.
fn values(field: &FieldSelector) -> impl Iterator<Item = &String> {
    field
        .equals
        .iter()
        .chain(&field.starts_with)
        .chain(&field.ends_with)
        .chain(&field.not_equals)
        .chain(&field.not_starts_with)
        .chain(&field.not_ends_with)
}

/// The rules AWS states per field: at least one operator; `eventCategory` is `Equals`
/// `Management` or `Data`; `readOnly` is `Equals` `true` or `false`.
fn check_field(field: &FieldSelector) -> Result<(), CoreError> {
    if values(field).next().is_none() {
        return Err(invalid(format!(
            "The field {} must have at least one operator.",
            field.field
        )));
    }
    let only_equals = field.starts_with.is_empty()
        && field.ends_with.is_empty()
        && field.not_equals.is_empty()
        && field.not_starts_with.is_empty()
        && field.not_ends_with.is_empty();
    let allowed: Option<&[&str]> = match field.field.as_str() {
        "eventCategory" => Some(&["Management", "Data", "NetworkActivity"]),
        "readOnly" => Some(&["true", "false"]),
        _ => None,
    };
    if let Some(allowed) = allowed
        && (!only_equals || field.equals.iter().any(|v| !allowed.contains(&v.as_str())))
    {
        return Err(invalid(format!(
            "Invalid value for the field {}: use Equals with one of {}.",
            field.field,
            allowed.join(", ")
        )));
    }
    Ok(())
}

/// The selectors as `GetEventSelectors` shows them; a trail without custom selectors shows
/// the default classic selector (all management events, read and write).
pub fn to_output(
    selectors: Option<&Selectors>,
) -> (
    Option<Vec<wire::EventSelector>>,
    Option<Vec<wire::AdvancedEventSelector>>,
) {
    let default = [ClassicSelector {
        read_write: "All".to_owned(),
        include_management: true,
        exclude_sources: Vec::new(),
        data_resources: Vec::new(),
    }];
    let classic = match selectors {
        Some(Selectors::Advanced(advanced)) => {
            return (None, Some(advanced.iter().map(advanced_output).collect()));
        }
        Some(Selectors::Classic(classic)) => classic.as_slice(),
        None => &default,
    };
    let classic = classic
        .iter()
        .map(|s| wire::EventSelector {
            read_write_type: wire::ReadWriteType::from_wire(&s.read_write),
            include_management_events: Some(s.include_management),
            data_resources: Some(
                s.data_resources
                    .iter()
                    .map(|(kind, values)| wire::DataResource {
                        kind: Some(kind.clone()),
                        values: Some(values.clone()),
                    })
                    .collect(),
            ),
            exclude_management_event_sources: Some(s.exclude_sources.clone()),
        })
        .collect();
    (Some(classic), None)
}

fn advanced_output(selector: &AdvancedSelector) -> wire::AdvancedEventSelector {
    let list = |v: &Vec<String>| (!v.is_empty()).then(|| v.clone());
    wire::AdvancedEventSelector {
        name: selector.name.clone(),
        field_selectors: selector
            .fields
            .iter()
            .map(|f| wire::AdvancedFieldSelector {
                field: f.field.clone(),
                equals: list(&f.equals),
                starts_with: list(&f.starts_with),
                ends_with: list(&f.ends_with),
                not_equals: list(&f.not_equals),
                not_starts_with: list(&f.not_starts_with),
                not_ends_with: list(&f.not_ends_with),
            })
            .collect(),
    }
}

/// Whether a trail with `selectors` (`None`: the default) delivers the event `record`.
pub fn selects(selectors: Option<&Selectors>, record: &serde_json::Value) -> bool {
    let read_only = record
        .get("readOnly")
        .and_then(serde_json::Value::as_bool)
        .unwrap_or(false);
    let source = record
        .get("eventSource")
        .and_then(serde_json::Value::as_str)
        .unwrap_or_default();
    match selectors {
        None => true,
        Some(Selectors::Classic(classic)) => classic.iter().any(|s| {
            s.include_management
                && !s.exclude_sources.iter().any(|x| x == source)
                && match s.read_write.as_str() {
                    "ReadOnly" => read_only,
                    "WriteOnly" => !read_only,
                    _ => true,
                }
        }),
        Some(Selectors::Advanced(advanced)) => advanced
            .iter()
            .any(|s| s.fields.iter().all(|f| field_holds(f, record))),
    }
}

/// The values of `field` in `record` (several for `resources.*`).
fn field_values(field: &str, record: &serde_json::Value) -> Vec<String> {
    let text = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    let resources = |key: &str| {
        record
            .get("resources")
            .and_then(serde_json::Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|r| r.get(key).and_then(text))
            .collect()
    };
    match field {
        "resources.type" => resources("type"),
        "resources.ARN" => resources("ARN"),
        "userIdentity.arn" => record
            .pointer("/userIdentity/arn")
            .and_then(text)
            .into_iter()
            .collect(),
        other => record.get(other).and_then(text).into_iter().collect(),
    }
}

fn field_holds(f: &FieldSelector, record: &serde_json::Value) -> bool {
    let found = field_values(&f.field, record);
    let any = |pred: &dyn Fn(&str) -> bool| found.iter().any(|v| pred(v));
    (f.equals.is_empty() || any(&|v| f.equals.iter().any(|x| x == v)))
        && (f.starts_with.is_empty()
            || any(&|v| f.starts_with.iter().any(|x| v.starts_with(x.as_str()))))
        && (f.ends_with.is_empty() || any(&|v| f.ends_with.iter().any(|x| v.ends_with(x.as_str()))))
        && !any(&|v| f.not_equals.iter().any(|x| x == v))
        && !any(&|v| f.not_starts_with.iter().any(|x| v.starts_with(x.as_str())))
        && !any(&|v| f.not_ends_with.iter().any(|x| v.ends_with(x.as_str())))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn classic(rw: wire::ReadWriteType) -> wire::PutEventSelectorsInput {
        wire::PutEventSelectorsInput {
            trail_name: "t".into(),
            event_selectors: Some(vec![wire::EventSelector {
                read_write_type: Some(rw),
                include_management_events: Some(true),
                ..Default::default()
            }]),
            advanced_event_selectors: None,
        }
    }

    fn field(name: &str, equals: &[&str]) -> wire::AdvancedFieldSelector {
        wire::AdvancedFieldSelector {
            field: name.into(),
            equals: Some(equals.iter().map(|s| (*s).to_owned()).collect()),
            ..Default::default()
        }
    }

    #[test]
    fn classic_selectors_choose_reads_or_writes() {
        let read = json!({"readOnly": true, "eventSource": "iam.amazonaws.com"});
        let write = json!({"readOnly": false, "eventSource": "iam.amazonaws.com"});
        let only_writes = from_input(&classic(wire::ReadWriteType::WriteOnly)).unwrap();
        assert!(selects(Some(&only_writes), &write));
        assert!(!selects(Some(&only_writes), &read));
        let only_reads = from_input(&classic(wire::ReadWriteType::ReadOnly)).unwrap();
        assert!(selects(Some(&only_reads), &read));
        assert!(!selects(Some(&only_reads), &write));
        assert!(selects(None, &read) && selects(None, &write));
    }

    #[test]
    fn advanced_selectors_need_a_category_and_match_every_field() {
        let input = |fields| wire::PutEventSelectorsInput {
            trail_name: "t".into(),
            event_selectors: None,
            advanced_event_selectors: Some(vec![wire::AdvancedEventSelector {
                name: Some("writes".into()),
                field_selectors: fields,
            }]),
        };
        let no_category = from_input(&input(vec![field("readOnly", &["false"])]));
        assert!(matches!(
            no_category,
            Err(CoreError::Trail(TrailRule::InvalidSelectors, _))
        ));
        let bad_value = from_input(&input(vec![
            field("eventCategory", &["Management"]),
            field("readOnly", &["yes"]),
        ]));
        assert!(matches!(
            bad_value,
            Err(CoreError::Trail(TrailRule::InvalidSelectors, _))
        ));
        let unknown = from_input(&input(vec![field("nope", &["x"])]));
        assert!(unknown.is_err());
        let mut no_sts = field("eventSource", &[]);
        no_sts.equals = None;
        no_sts.not_equals = Some(vec!["sts.amazonaws.com".into()]);
        let selectors = from_input(&input(vec![
            field("eventCategory", &["Management"]),
            field("readOnly", &["false"]),
            no_sts,
        ]))
        .unwrap();
        let write = |source: &str| json!({"readOnly": false, "eventSource": source, "eventCategory": "Management"});
        assert!(selects(Some(&selectors), &write("iam.amazonaws.com")));
        assert!(!selects(Some(&selectors), &write("sts.amazonaws.com")));
        let read = json!({"readOnly": true, "eventSource": "iam.amazonaws.com", "eventCategory": "Management"});
        assert!(!selects(Some(&selectors), &read));
        let (classic, advanced) = to_output(Some(&selectors));
        assert!(classic.is_none());
        assert_eq!(advanced.unwrap()[0].field_selectors.len(), 3);
    }

    #[test]
    fn both_kinds_or_none_is_a_parameter_combination_error() {
        let mut both = classic(wire::ReadWriteType::All);
        both.advanced_event_selectors = Some(vec![]);
        assert!(matches!(
            from_input(&both),
            Err(CoreError::Trail(TrailRule::InvalidCombination, _))
        ));
        both.event_selectors = None;
        both.advanced_event_selectors = None;
        assert!(matches!(
            from_input(&both),
            Err(CoreError::Trail(TrailRule::InvalidCombination, _))
        ));
        let (classic, _) = to_output(None);
        assert_eq!(
            classic.unwrap()[0].read_write_type,
            Some(wire::ReadWriteType::All)
        );
    }
}
