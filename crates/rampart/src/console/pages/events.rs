//! Event history: the account's audit trail, newest first (`RequestPath::lookup_events`:
//! `LookupEvents` on the request path, authorized as `cloudtrail:LookupEvents`), filtered
//! as CloudTrail's console filters it
//! (event name, user name, access key, event source, read-only, time range), each event's
//! CloudTrail JSON, and a JSON download of what the filters select.

use rampart_wire::cloudtrail::{LookupAttribute, LookupAttributeKey};
use serde_json::Value;

use super::{Answer, invalid};
use crate::console::Ctx;
use crate::console::html::{self, esc, url};

/// How many events the page shows.
const PAGE: usize = 200;
/// How many of the newest events are read and filtered (four `LookupEvents` pages).
const READ: usize = 200;

/// The filters of a request.
struct Filters {
    event_name: String,
    user_name: String,
    access_key: String,
    event_source: String,
    read_only: String,
    start: Option<String>,
    end: Option<String>,
}

fn text(e: &Value, path: &[&str]) -> String {
    path.iter()
        .try_fold(e, |v, k| v.get(k))
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned()
}

/// A `YYYY-MM-DD` date input, checked, as the start of that day in ISO 8601.
fn day(value: &str) -> Result<Option<String>, crate::console::Problem> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let ok = value.len() == 10
        && value.char_indices().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }
        });
    if !ok {
        return Err(invalid("Dates are written YYYY-MM-DD."));
    }
    Ok(Some(format!("{value}T00:00:00Z")))
}

impl Filters {
    fn from(ctx: &Ctx<'_>) -> Result<Filters, crate::console::Problem> {
        let get = |name: &str| ctx.req.get(name).trim().to_owned();
        Ok(Filters {
            event_name: get("EventName"),
            user_name: get("Username"),
            access_key: get("AccessKeyId"),
            event_source: get("EventSource"),
            read_only: get("ReadOnly"),
            start: day(ctx.req.get("StartTime"))?,
            end: day(ctx.req.get("EndTime"))?,
        })
    }

    fn matches(&self, e: &Value) -> bool {
        let contains = |field: String, wanted: &str| {
            wanted.is_empty() || field.to_lowercase().contains(&wanted.to_lowercase())
        };
        let user = match text(e, &["userIdentity", "type"]).as_str() {
            "Root" => "root".to_owned(),
            _ => text(e, &["userIdentity", "userName"]),
        };
        let time = text(e, &["eventTime"]);
        let read_only = e.get("readOnly").and_then(Value::as_bool).unwrap_or(false);
        contains(text(e, &["eventName"]), &self.event_name)
            && contains(user, &self.user_name)
            && contains(text(e, &["userIdentity", "accessKeyId"]), &self.access_key)
            && contains(text(e, &["eventSource"]), &self.event_source)
            && match self.read_only.as_str() {
                "true" => read_only,
                "false" => !read_only,
                _ => true,
            }
            && self.start.as_ref().is_none_or(|s| time.as_str() >= s.as_str())
            // The end date is inclusive: everything before the next day's start.
            && self.end.as_ref().is_none_or(|s| time.get(..10).unwrap_or("") <= s.get(..10).unwrap_or(""))
    }

    /// The first filter people type in full (event name, access key, event source) becomes CloudTrail's
    /// exact lookup attribute, so the newest events read are already the matching ones; the
    /// other filters match parts of a value and apply to what it returns.
    fn lookup_attribute(&self) -> Option<LookupAttribute> {
        // An event source may be typed as the service's short name (`signin`).
        let source = match self.event_source.as_str() {
            "" => String::new(),
            s if s.ends_with(".amazonaws.com") => s.to_owned(),
            s => format!("{s}.amazonaws.com"),
        };
        [
            (LookupAttributeKey::EventName, self.event_name.clone()),
            (LookupAttributeKey::AccessKeyId, self.access_key.clone()),
            (LookupAttributeKey::EventSource, source),
        ]
        .into_iter()
        .find(|(_, value)| !value.is_empty())
        .map(|(attribute_key, attribute_value)| LookupAttribute {
            attribute_key,
            attribute_value,
        })
    }

    fn query(&self) -> String {
        let strip = |v: &Option<String>| {
            v.as_ref()
                .and_then(|s| s.get(..10))
                .unwrap_or("")
                .to_owned()
        };
        [
            ("EventName", self.event_name.clone()),
            ("Username", self.user_name.clone()),
            ("AccessKeyId", self.access_key.clone()),
            ("EventSource", self.event_source.clone()),
            ("ReadOnly", self.read_only.clone()),
            ("StartTime", strip(&self.start)),
            ("EndTime", strip(&self.end)),
        ]
        .iter()
        .map(|(k, v)| format!("{k}={}", url(v)))
        .collect::<Vec<_>>()
        .join("&")
    }
}

fn selected(ctx: &Ctx<'_>, filters: &Filters) -> Result<Vec<Value>, crate::console::Problem> {
    Ok(ctx
        .requests
        .lookup_events(&ctx.call, filters.lookup_attribute(), READ)?
        .into_iter()
        .filter(|e| filters.matches(e))
        .collect())
}

/// `GET /console/event-history?…`.
pub fn show(ctx: &Ctx<'_>) -> Answer {
    let filters = Filters::from(ctx)?;
    let events = selected(ctx, &filters)?;
    let rows: Vec<Vec<String>> = events
        .iter()
        .take(PAGE)
        .map(|e| {
            let user = match text(e, &["userIdentity", "type"]).as_str() {
                "Root" => "root".to_owned(),
                _ => text(e, &["userIdentity", "userName"]),
            };
            let outcome = match e.get("errorCode").and_then(Value::as_str) {
                Some(code) => format!("<span class=\"bad\">{}</span>", esc(code)),
                None => "<span class=\"ok\">OK</span>".to_owned(),
            };
            let json = serde_json::to_string_pretty(e).unwrap_or_default();
            vec![
                format!(
                    "<details><summary>{}</summary><pre>{}</pre></details>",
                    esc(&text(e, &["eventName"])),
                    esc(&json)
                ),
                esc(&text(e, &["eventTime"])),
                esc(&user),
                esc(&text(e, &["userIdentity", "accessKeyId"])),
                esc(&text(e, &["eventSource"])),
                esc(&text(e, &["sourceIPAddress"])),
                outcome,
            ]
        })
        .collect();
    let read_only = html::select_with(
        "Read-only",
        "ReadOnly",
        &[
            (String::new(), "Any".to_owned()),
            ("true".to_owned(), "true".to_owned()),
            ("false".to_owned(), "false".to_owned()),
        ],
        Some(&filters.read_only),
    );
    let strip = |v: &Option<String>| {
        v.as_ref()
            .and_then(|s| s.get(..10))
            .unwrap_or("")
            .to_owned()
    };
    let form = format!(
        "<form method=\"get\" action=\"/console/event-history\" class=\"grid\">{}{}{}{}{read_only}{}{}<p><button class=\"secondary\">Apply filters</button></p></form>",
        html::input("Event name", "EventName", "text", &filters.event_name, ""),
        html::input("User name", "Username", "text", &filters.user_name, ""),
        html::input("Access key", "AccessKeyId", "text", &filters.access_key, ""),
        html::input(
            "Event source",
            "EventSource",
            "text",
            &filters.event_source,
            "placeholder=\"iam.amazonaws.com\""
        ),
        html::input(
            "From (UTC)",
            "StartTime",
            "date",
            &strip(&filters.start),
            ""
        ),
        html::input("To (UTC)", "EndTime", "date", &strip(&filters.end), ""),
    );
    let body = format!(
        "{}<p><a href=\"/console/event-history.json?{}\">Download events (JSON)</a></p>{}",
        html::section("Filters", &form),
        esc(&filters.query()),
        html::section(
            "",
            &html::table(
                &format!(
                    "Events ({}{})",
                    rows.len(),
                    if events.len() > PAGE { "+" } else { "" }
                ),
                &[
                    "Event name",
                    "Event time",
                    "User name",
                    "Access key",
                    "Event source",
                    "Source IP address",
                    "Result"
                ],
                &rows,
                "No events to display.",
            )
        ),
    );
    Ok(ctx.page("Event history", "Event history", &body))
}

/// `GET /console/event-history.json?…`: the selected events as CloudTrail's
/// `LookupEvents`-style JSON document.
pub fn download(ctx: &Ctx<'_>) -> Answer {
    let filters = Filters::from(ctx)?;
    let events = selected(ctx, &filters)?;
    let document = serde_json::json!({ "Records": events });
    Ok(html::respond(
        200,
        "application/json",
        serde_json::to_vec_pretty(&document).unwrap_or_default(),
        vec![(
            "content-disposition",
            "attachment; filename=\"event_history.json\"".to_owned(),
        )],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filters() -> Filters {
        Filters {
            event_name: String::new(),
            user_name: String::new(),
            access_key: String::new(),
            event_source: String::new(),
            read_only: String::new(),
            start: None,
            end: None,
        }
    }

    #[test]
    fn filters_match_name_user_source_read_only_and_days() {
        let event = serde_json::json!({
            "eventName": "ListUsers", "eventTime": "2026-12-05T07:00:00Z", "readOnly": true,
            "eventSource": "iam.amazonaws.com",
            "userIdentity": { "type": "IAMUser", "userName": "carol", "accessKeyId": "AKIAEXAMPLE" },
        });
        assert!(filters().matches(&event));
        let by = |f: Filters| f.matches(&event);
        assert!(by(Filters {
            event_name: "listusers".into(),
            ..filters()
        }));
        assert!(!by(Filters {
            event_name: "CreateUser".into(),
            ..filters()
        }));
        assert!(by(Filters {
            user_name: "car".into(),
            ..filters()
        }));
        assert!(by(Filters {
            access_key: "AKIAEX".into(),
            ..filters()
        }));
        assert!(!by(Filters {
            read_only: "false".into(),
            ..filters()
        }));
        assert!(by(Filters {
            end: Some("2026-12-05T00:00:00Z".into()),
            ..filters()
        }));
        assert!(!by(Filters {
            start: Some("2026-12-06T00:00:00Z".into()),
            ..filters()
        }));
        assert!(day("2026-1-05").is_err());
    }
}
