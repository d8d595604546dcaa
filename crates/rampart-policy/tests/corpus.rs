//! The policy corpus: every `tests/corpus/*.json` file, run by this one harness.
//!
//! A file holds named `policies` (kind + document), evaluation `cases` (policy sets, caller,
//! request, expected decision, reason phrase and deciding statements; a case may fan out into
//! `requests` that override its fields) and `parse` cases (document + kind + expected error
//! message or success). The format is described in `tests/corpus/README.md`.
#![expect(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test code: a malformed corpus file is a test failure"
)]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use rampart_policy::{
    ContextValue, Decision, MatchedStatement, Policy, PolicyKind, PolicySets, PolicySource,
    PrincipalInfo, PrincipalKind, RequestContext, Timestamp, evaluate,
};
use serde_json::{Map, Value};

fn kind_of(name: &str) -> PolicyKind {
    match name {
        "Identity" => PolicyKind::Identity,
        "Managed" => PolicyKind::Managed,
        "Resource" => PolicyKind::Resource,
        "Trust" => PolicyKind::Trust,
        "ServiceControl" => PolicyKind::ServiceControl,
        "ResourceControl" => PolicyKind::ResourceControl,
        "PermissionsBoundary" => PolicyKind::PermissionsBoundary,
        "Session" => PolicyKind::Session,
        other => panic!("unknown policy kind {other}"),
    }
}

fn document_text(spec: &Value) -> String {
    match (spec.get("text"), spec.get("document")) {
        (Some(Value::String(t)), _) => t.clone(),
        (_, Some(doc)) => serde_json::to_string(doc).unwrap(),
        _ => panic!("policy without text or document: {spec}"),
    }
}

fn context_value(v: &Value) -> ContextValue {
    match v {
        Value::String(s) => ContextValue::String(s.clone()),
        Value::Bool(b) => ContextValue::Bool(*b),
        Value::Number(n) => ContextValue::Number(n.as_f64().unwrap()),
        Value::Array(items) => ContextValue::List(items.iter().map(context_value).collect()),
        Value::Object(o) => {
            if let Some(Value::String(ip)) = o.get("ip") {
                ContextValue::Ip(ip.parse().unwrap())
            } else if let Some(Value::String(d)) = o.get("date") {
                ContextValue::Date(Timestamp::parse(d).unwrap())
            } else if let Some(Value::String(b)) = o.get("binary") {
                ContextValue::Binary(b.as_bytes().to_vec())
            } else {
                panic!("unknown typed value {v}")
            }
        }
        Value::Null => panic!("null context value"),
    }
}

fn principal(v: &Value) -> PrincipalInfo {
    let s = |k: &str| v.get(k).and_then(Value::as_str);
    let mut p = if let Some(arn) = s("user") {
        PrincipalInfo::user(arn)
    } else if let Some(account) = s("root") {
        PrincipalInfo::root(account)
    } else if let Some(role) = s("assumed_role") {
        PrincipalInfo::assumed_role(role, s("session").unwrap_or("session"))
    } else if let Some(role) = s("role") {
        PrincipalInfo::new(PrincipalKind::Role, role, role.split(':').nth(4).unwrap())
    } else if let Some(user) = s("federated_user") {
        PrincipalInfo::federated_user(user, s("name").unwrap_or("fed"))
    } else if let Some(name) = s("service") {
        PrincipalInfo::service(name)
    } else if let Some(name) = s("identity_provider") {
        PrincipalInfo::new(PrincipalKind::IdentityProvider, name, "")
    } else if v.get("anonymous").is_some() {
        PrincipalInfo::new(PrincipalKind::Anonymous, "", "")
    } else {
        panic!("unknown principal {v}")
    };
    if v.get("service_linked_role").and_then(Value::as_bool) == Some(true) {
        p = p.with_service_linked_role(true);
    }
    if let Some(id) = s("unique_id") {
        p = p.with_unique_id(id);
    }
    p
}

fn source_name(s: PolicySource) -> String {
    match s {
        PolicySource::ServiceControl { level } => format!("scp{level}"),
        PolicySource::ResourceControl { level } => format!("rcp{level}"),
        PolicySource::ResourcePolicy => "resource".into(),
        PolicySource::Identity => "identity".into(),
        PolicySource::PermissionsBoundary => "boundary".into(),
        PolicySource::Session => "session".into(),
    }
}

fn matched_name(m: &MatchedStatement) -> String {
    match &m.sid {
        Some(sid) => format!("{}:{sid}", source_name(m.source)),
        None => format!(
            "{}:#{}.{}",
            source_name(m.source),
            m.policy_index,
            m.statement_index
        ),
    }
}

fn merged(base: &Map<String, Value>, over: &Map<String, Value>) -> Map<String, Value> {
    let mut out = base.clone();
    out.remove("requests");
    for (k, v) in over {
        out.insert(k.clone(), v.clone());
    }
    out
}

fn run_request(
    file: &str,
    req: &Map<String, Value>,
    policies: &BTreeMap<String, Policy>,
    failures: &mut Vec<String>,
) {
    let name = req.get("name").and_then(Value::as_str).unwrap_or("?");
    let label = format!("{file}: {name}");
    let get = |n: &str| -> &Policy {
        policies
            .get(n)
            .unwrap_or_else(|| panic!("{label}: no policy named {n}"))
    };
    let names = |v: Option<&Value>| -> Vec<&Policy> {
        v.and_then(Value::as_array)
            .map(|a| a.iter().map(|n| get(n.as_str().unwrap())).collect())
            .unwrap_or_default()
    };
    let levels = |v: Option<&Value>| -> Vec<Vec<&Policy>> {
        v.and_then(Value::as_array)
            .map(|a| a.iter().map(|l| names(Some(l))).collect())
            .unwrap_or_default()
    };
    let empty = Value::Object(Map::new());
    let sets_spec = req.get("sets").unwrap_or(&empty);
    let sets = PolicySets {
        service_control: levels(sets_spec.get("scp")),
        resource_control: levels(sets_spec.get("rcp")),
        resource_policy: sets_spec
            .get("resource_policy")
            .and_then(Value::as_str)
            .map(get),
        resource_account: sets_spec
            .get("resource_account")
            .and_then(Value::as_str)
            .map(str::to_owned),
        resource_policy_must_allow: sets_spec
            .get("resource_policy_must_allow")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        identity: names(sets_spec.get("identity")),
        permissions_boundary: sets_spec.get("boundary").and_then(Value::as_str).map(get),
        session: sets_spec.get("session").map(|s| names(Some(s))),
    };
    let mut ctx = RequestContext::new(
        req.get("action")
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("{label}: no action")),
        req.get("resource").and_then(Value::as_str).unwrap_or("*"),
        principal(
            req.get("principal")
                .unwrap_or_else(|| panic!("{label}: no principal")),
        ),
    );
    if let Some(Value::Object(keys)) = req.get("keys") {
        for (k, v) in keys {
            ctx.set_key(k, context_value(v));
        }
    }
    let e = evaluate(&ctx, &sets);
    let expect = req
        .get("expect")
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("{label}: no expect"));
    let want = match expect {
        "Allow" => Decision::Allow,
        "ExplicitDeny" => Decision::ExplicitDeny,
        "ImplicitDeny" => Decision::ImplicitDeny,
        other => panic!("{label}: bad expect {other}"),
    };
    let mut problems = String::new();
    if e.decision != want {
        let _ = write!(problems, " decision {:?} (want {want:?});", e.decision);
    }
    if let Some(Value::String(reason)) = req.get("reason") {
        let got = e.reason.map(|r| r.phrase(&ctx.action));
        if got.as_deref() != Some(reason.as_str()) {
            let _ = write!(problems, " reason {got:?} (want {reason:?});");
        }
    }
    if let Some(Value::Array(want)) = req.get("matched") {
        let want: Vec<&str> = want.iter().map(|v| v.as_str().unwrap()).collect();
        let got: Vec<String> = e.matched.iter().map(matched_name).collect();
        if got != want {
            let _ = write!(problems, " matched {got:?} (want {want:?});");
        }
    }
    if !problems.is_empty() {
        failures.push(format!("{label}:{problems}"));
    }
}

fn run_parse(file: &str, case: &Value, failures: &mut Vec<String>) {
    let name = case.get("name").and_then(Value::as_str).unwrap_or("?");
    let kind = kind_of(
        case.get("kind")
            .and_then(Value::as_str)
            .unwrap_or("Identity"),
    );
    let text = document_text(case);
    let result = Policy::parse(&text, kind);
    match (case.get("error").and_then(Value::as_str), &result) {
        (None, Ok(p)) => {
            // Every accepted corpus document must survive print → parse.
            let again = Policy::parse(&p.document().to_json(), kind);
            if again.as_ref().ok() != Some(p) {
                failures.push(format!(
                    "{file}: {name}: print/parse round trip changed the document: {again:?}"
                ));
            }
        }
        (None, Err(e)) => failures.push(format!("{file}: {name}: rejected with {e:?}")),
        (Some(want), Ok(_)) => {
            failures.push(format!("{file}: {name}: accepted, want error {want:?}"))
        }
        (Some(want), Err(e)) => {
            if e.message() != want {
                failures.push(format!(
                    "{file}: {name}: error {:?}, want {want:?}",
                    e.message()
                ));
            }
            if let Some(code) = case.get("code").and_then(Value::as_str)
                && e.code() != code
            {
                failures.push(format!("{file}: {name}: code {}, want {code}", e.code()));
            }
        }
    }
}

#[test]
fn corpus() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no corpus files in {}", dir.display());
    let mut failures = Vec::new();
    let mut requests = 0usize;
    let mut parses = 0usize;
    for path in &files {
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let root: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap())
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        let mut policies = BTreeMap::new();
        if let Some(Value::Object(specs)) = root.get("policies") {
            for (name, spec) in specs {
                let kind = kind_of(
                    spec.get("kind")
                        .and_then(Value::as_str)
                        .unwrap_or("Identity"),
                );
                match Policy::parse(&document_text(spec), kind) {
                    Ok(p) => {
                        policies.insert(name.clone(), p);
                    }
                    Err(e) => failures.push(format!("{file}: policy {name} rejected: {e:?}")),
                }
            }
        }
        for case in root
            .get("cases")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let case = case.as_object().unwrap();
            match case.get("requests").and_then(Value::as_array) {
                Some(reqs) => {
                    for r in reqs {
                        let mut m = merged(case, r.as_object().unwrap());
                        if let (Some(Value::String(a)), Some(Value::String(b))) =
                            (case.get("name"), r.get("name"))
                        {
                            m.insert("name".into(), Value::String(format!("{a} / {b}")));
                        }
                        run_request(&file, &m, &policies, &mut failures);
                        requests += 1;
                    }
                }
                None => {
                    run_request(&file, case, &policies, &mut failures);
                    requests += 1;
                }
            }
        }
        for case in root
            .get("durations")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let n = |k: &str| u32::try_from(case.get(k).and_then(Value::as_u64).unwrap()).unwrap();
            let got = rampart_policy::session_duration_error(
                n("requested"),
                n("role_max"),
                case.get("chained")
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
            );
            let want = case.get("error").and_then(Value::as_str);
            if got.as_deref() != want {
                failures.push(format!(
                    "{file}: {}: duration error {got:?}, want {want:?}",
                    case["name"]
                ));
            }
            requests += 1;
        }
        for case in root
            .get("parse")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            run_parse(&file, case, &mut failures);
            parses += 1;
        }
    }
    println!(
        "corpus: {} files, {requests} evaluation requests, {parses} parse cases",
        files.len()
    );
    assert!(
        failures.is_empty(),
        "{} corpus failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
