//! Event history: the account's audit trail, newest first (`RequestPath::lookup_events`,
//! authorized as `cloudtrail:LookupEvents`), with a filter on event name or user name and
//! each event's CloudTrail JSON.

use super::Answer;
use crate::console::Ctx;
use crate::console::html::{self, esc};

/// How many events the page shows.
const PAGE: usize = 200;

/// `GET /console/event-history?filter=…`.
pub fn show(ctx: &Ctx<'_>) -> Answer {
    let filter = ctx.req.get("filter").trim().to_lowercase();
    let events = ctx.requests.lookup_events(&ctx.call, 5000)?;
    let field = |e: &serde_json::Value, path: &[&str]| {
        path.iter()
            .try_fold(e, |v, k| v.get(k))
            .and_then(serde_json::Value::as_str)
            .unwrap_or("")
            .to_owned()
    };
    let rows: Vec<Vec<String>> = events
        .iter()
        .filter(|e| {
            filter.is_empty()
                || field(e, &["eventName"]).to_lowercase().contains(&filter)
                || field(e, &["userIdentity", "userName"])
                    .to_lowercase()
                    .contains(&filter)
        })
        .take(PAGE)
        .map(|e| {
            let identity = match field(e, &["userIdentity", "type"]).as_str() {
                "Root" => "root".to_owned(),
                _ => field(e, &["userIdentity", "userName"]),
            };
            let outcome = match e.get("errorCode").and_then(serde_json::Value::as_str) {
                Some(code) => format!("<span class=\"bad\">{}</span>", esc(code)),
                None => "<span class=\"ok\">OK</span>".to_owned(),
            };
            let json = serde_json::to_string_pretty(e).unwrap_or_default();
            vec![
                format!(
                    "<details><summary>{}</summary><pre>{}</pre></details>",
                    esc(&field(e, &["eventName"])),
                    esc(&json)
                ),
                esc(&field(e, &["eventTime"])),
                esc(&identity),
                esc(&field(e, &["eventSource"])),
                esc(&field(e, &["sourceIPAddress"])),
                outcome,
            ]
        })
        .collect();
    let body = format!(
        "<form method=\"get\" action=\"/console/event-history\">{}<button class=\"secondary\">Filter</button></form>{}",
        html::input(
            "Filter by event name or user name",
            "filter",
            "search",
            &filter,
            ""
        ),
        html::section(
            "",
            &html::table(
                &format!("Events ({})", rows.len()),
                &[
                    "Event name",
                    "Event time",
                    "User name",
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
