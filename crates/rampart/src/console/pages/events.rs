//! Event history: the account's trail through CloudTrail's `LookupEvents`, run as the
//! signed-in principal (so it needs `cloudtrail:LookupEvents` and is audited like any
//! call). As in AWS's console: one lookup attribute (event name, user name, access key,
//! event source, read-only, resource type or name, event ID) and a time range, 50 events a
//! page newest first with a link to the next, each event's CloudTrail JSON, and a JSON
//! download of what the filter selects.

use rampart_core::request::cloudtrail::CloudTrail;
use rampart_wire::cloudtrail::{Event, Operation, Output};
use serde_json::{Value, json};

use super::{Answer, invalid};
use crate::console::html::{self, esc, url};
use crate::console::{Ctx, Problem};

/// The lookup attributes, as CloudTrail spells them, with the console's labels.
const ATTRIBUTES: &[(&str, &str)] = &[
    ("EventName", "Event name"),
    ("Username", "User name"),
    ("AccessKeyId", "AWS access key"),
    ("EventSource", "Event source"),
    ("ReadOnly", "Read-only"),
    ("ResourceType", "Resource type"),
    ("ResourceName", "Resource name"),
    ("EventId", "Event ID"),
];

/// How many events a download holds at most.
const DOWNLOAD_MAX: usize = 1000;

/// The lookup a request asks for.
struct Lookup {
    key: String,
    value: String,
    start: String,
    end: String,
}

/// A `YYYY-MM-DD` date as epoch seconds at `time` of that day (UTC).
fn day(value: &str, time: &str) -> Result<Option<i64>, Problem> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    rampart_wire::Timestamp::parse_iso8601(&format!("{value}T{time}Z"))
        .map(|t| Some(t.0))
        .ok_or_else(|| invalid("Dates are written YYYY-MM-DD."))
}

impl Lookup {
    fn from(ctx: &Ctx<'_>) -> Lookup {
        let get = |name: &str| ctx.req.get(name).trim().to_owned();
        Lookup {
            key: get("AttributeKey"),
            value: get("AttributeValue"),
            start: get("StartTime"),
            end: get("EndTime"),
        }
    }

    /// The `LookupEvents` body for one page.
    fn body(&self, next_token: Option<&str>) -> Result<Value, Problem> {
        let mut body = serde_json::Map::new();
        body.insert("MaxResults".to_owned(), json!(50));
        if !self.value.is_empty() {
            let key = if ATTRIBUTES.iter().any(|(k, _)| *k == self.key) {
                self.key.as_str()
            } else {
                "EventName"
            };
            body.insert(
                "LookupAttributes".to_owned(),
                json!([{ "AttributeKey": key, "AttributeValue": self.value }]),
            );
        }
        if let Some(start) = day(&self.start, "00:00:00")? {
            body.insert("StartTime".to_owned(), json!(start));
        }
        if let Some(end) = day(&self.end, "23:59:59")? {
            body.insert("EndTime".to_owned(), json!(end));
        }
        if let Some(token) = next_token {
            body.insert("NextToken".to_owned(), json!(token));
        }
        Ok(Value::Object(body))
    }

    fn query(&self) -> String {
        [
            ("AttributeKey", &self.key),
            ("AttributeValue", &self.value),
            ("StartTime", &self.start),
            ("EndTime", &self.end),
        ]
        .iter()
        .map(|(k, v)| format!("{k}={}", url(v)))
        .collect::<Vec<_>>()
        .join("&")
    }
}

/// One page of events and the token of the next.
fn page(
    ctx: &Ctx<'_>,
    lookup: &Lookup,
    token: Option<&str>,
) -> Result<(Vec<Event>, Option<String>), Problem> {
    let op = Operation::decode("LookupEvents", &lookup.body(token)?)?;
    let Output::LookupEvents(out) = ctx.requests.run::<CloudTrail>(&ctx.call, &op)? else {
        return Err(Problem::unexpected());
    };
    Ok((out.events, out.next_token))
}

fn row(event: &Event) -> Vec<String> {
    let text = |v: &Option<String>| esc(v.as_deref().unwrap_or(""));
    let record: Value = event
        .cloud_trail_event
        .as_deref()
        .and_then(|b| serde_json::from_str(b).ok())
        .unwrap_or_default();
    let outcome = match record.get("errorCode").and_then(Value::as_str) {
        Some(code) => format!("<span class=\"bad\">{}</span>", esc(code)),
        None => "<span class=\"ok\">OK</span>".to_owned(),
    };
    let json = serde_json::to_string_pretty(&record).unwrap_or_default();
    vec![
        format!(
            "<details><summary>{}</summary><pre>{}</pre></details>",
            text(&event.event_name),
            esc(&json)
        ),
        event
            .event_time
            .map(|t| html::when(t.0))
            .unwrap_or_default(),
        text(&event.username),
        text(&event.access_key_id),
        text(&event.event_source),
        esc(record
            .get("sourceIPAddress")
            .and_then(Value::as_str)
            .unwrap_or("")),
        outcome,
    ]
}

/// `GET /console/event-history?…`.
pub fn show(ctx: &Ctx<'_>) -> Answer {
    let lookup = Lookup::from(ctx);
    let token = Some(ctx.req.get("NextToken")).filter(|t| !t.is_empty());
    let (events, next) = page(ctx, &lookup, token)?;
    let rows: Vec<Vec<String>> = events.iter().map(row).collect();
    let options: Vec<(String, String)> = ATTRIBUTES
        .iter()
        .map(|(k, l)| ((*k).to_owned(), (*l).to_owned()))
        .collect();
    let form = format!(
        "<form method=\"get\" action=\"/console/event-history\" class=\"grid\">{}{}{}{}<p><button class=\"secondary\">Apply filters</button></p></form>",
        html::select_with(
            "Lookup attribute",
            "AttributeKey",
            &options,
            Some(&lookup.key)
        ),
        html::input(
            "Attribute value",
            "AttributeValue",
            "text",
            &lookup.value,
            ""
        ),
        html::input("From (UTC)", "StartTime", "date", &lookup.start, ""),
        html::input("To (UTC)", "EndTime", "date", &lookup.end, ""),
    );
    let more = next
        .map(|t| {
            format!(
                "<p><a href=\"/console/event-history?{}&amp;NextToken={}\">Next page</a></p>",
                esc(&lookup.query()),
                url(&t)
            )
        })
        .unwrap_or_default();
    let body = format!(
        "{}<p><a href=\"/console/event-history.json?{}\">Download events (JSON)</a></p>{}{more}",
        html::section("Filters", &form),
        esc(&lookup.query()),
        html::section(
            "",
            &html::table(
                &format!("Events ({})", rows.len()),
                &[
                    "Event name",
                    "Event time",
                    "User name",
                    "AWS access key",
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

/// `GET /console/event-history.json?…`: up to [`DOWNLOAD_MAX`] selected events as a
/// CloudTrail log document (`Records`).
pub fn download(ctx: &Ctx<'_>) -> Answer {
    let lookup = Lookup::from(ctx);
    let mut records = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let (events, next) = page(ctx, &lookup, token.as_deref())?;
        records.extend(
            events
                .iter()
                .filter_map(|e| e.cloud_trail_event.as_deref())
                .filter_map(|b| serde_json::from_str::<Value>(b).ok()),
        );
        match next {
            Some(t) if records.len() < DOWNLOAD_MAX => token = Some(t),
            _ => break,
        }
    }
    records.truncate(DOWNLOAD_MAX);
    Ok(html::respond(
        200,
        "application/json",
        serde_json::to_vec_pretty(&json!({ "Records": records })).unwrap_or_default(),
        vec![(
            "content-disposition",
            "attachment; filename=\"event_history.json\"".to_owned(),
        )],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lookup_asks_for_one_attribute_and_whole_days() {
        let lookup = Lookup {
            key: "Username".into(),
            value: "carol".into(),
            start: "2026-12-05".into(),
            end: "2026-12-05".into(),
        };
        let body = lookup.body(None).unwrap();
        assert_eq!(body["LookupAttributes"][0]["AttributeKey"], "Username");
        assert_eq!(body["LookupAttributes"][0]["AttributeValue"], "carol");
        assert_eq!(
            body["EndTime"].as_i64().unwrap() - body["StartTime"].as_i64().unwrap(),
            86_399
        );
        assert!(Operation::decode("LookupEvents", &body).is_ok());
        let bad = Lookup {
            start: "5/12/2026".into(),
            ..lookup
        };
        assert!(bad.body(None).is_err());
    }
}
