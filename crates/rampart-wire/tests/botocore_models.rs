//! Checks every operation, member, type, constraint and error code this crate
//! claims against the botocore service models installed on the machine
//! (STYLE.md §6.5). Fails if botocore cannot be found.
#![expect(
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "test harness: a missing model must fail loudly; serde_json indexing yields Null, never panics"
)]

use std::collections::BTreeMap;
use std::process::Command;

use rampart_wire::ErrorCode;
use rampart_wire::schema::{Constraint, MemberInfo, OperationInfo, WireType};
use serde_json::Value;

const LOAD: &str = "import json, sys\n\
from botocore.loaders import Loader\n\
print(json.dumps(Loader().load_service_model(sys.argv[1], 'service-2')))";

fn load_model(service: &str) -> Value {
    let out = Command::new("python3")
        .args(["-c", LOAD, service])
        .output()
        .expect("python3 must be installed to run the botocore model check");
    assert!(
        out.status.success(),
        "botocore model `{service}` not loadable: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("model is JSON")
}

struct Checker<'m> {
    model: &'m Value,
    service: &'static str,
    failures: Vec<String>,
}

impl Checker<'_> {
    fn shape(&self, name: &str) -> &Value {
        &self.model["shapes"][name]
    }

    fn fail(&mut self, msg: String) {
        self.failures.push(format!("{}: {msg}", self.service));
    }

    fn check_constraint(&mut self, at: &str, c: &Constraint, shape_name: &str) {
        let shape = self.shape(shape_name).clone();
        if c.shape != shape_name {
            self.fail(format!(
                "{at}: constraint names shape `{}`, model uses `{shape_name}`",
                c.shape
            ));
        }
        let num = |k: &str| shape.get(k).and_then(Value::as_i64);
        if c.min != num("min") || c.max != num("max") {
            self.fail(format!(
                "{at}: min/max {:?}/{:?} != model {:?}/{:?}",
                c.min,
                c.max,
                num("min"),
                num("max")
            ));
        }
        let pattern = shape.get("pattern").and_then(Value::as_str);
        if c.pattern.map(|p| p.regex()) != pattern {
            self.fail(format!(
                "{at}: pattern {:?} != model {pattern:?}",
                c.pattern.map(|p| p.regex())
            ));
        }
        let values: Vec<&str> = shape
            .get("enum")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if c.enum_values != values.as_slice() {
            self.fail(format!(
                "{at}: enum {:?} != model {values:?}",
                c.enum_values
            ));
        }
        if let Some(item) = c.item {
            match shape["member"]["shape"].as_str() {
                Some(m) => self.check_constraint(&format!("{at}.member"), item, m),
                None => self.fail(format!("{at}: item constraint on a non-list")),
            }
        }
    }

    fn has_constraints(shape: &Value) -> bool {
        ["min", "max", "pattern", "enum"]
            .iter()
            .any(|k| shape.get(*k).is_some())
    }

    /// Compares a wire type with a model shape, recursively.
    fn check_type(&mut self, at: &str, ty: &WireType, shape_name: &str, input: bool) {
        let shape = self.shape(shape_name).clone();
        let model_type = shape["type"].as_str().unwrap_or("<missing>");
        if ty.model_name() != model_type {
            self.fail(format!(
                "{at}: type {} != model {model_type} (shape {shape_name})",
                ty.model_name()
            ));
            return;
        }
        match ty {
            WireType::List(elem) => {
                let m = shape["member"]["shape"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned();
                self.check_type(&format!("{at}.member"), elem, &m, input);
            }
            WireType::Map(k, v) => {
                let ks = shape["key"]["shape"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned();
                let vs = shape["value"]["shape"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned();
                self.check_type(&format!("{at}.key"), k, &ks, input);
                self.check_type(&format!("{at}.value"), v, &vs, input);
            }
            WireType::Structure(info) => {
                if info.name != shape_name {
                    self.fail(format!(
                        "{at}: structure `{}` != model shape `{shape_name}`",
                        info.name
                    ));
                }
                self.check_members(at, info.members, shape_name, input);
            }
            _ => {}
        }
    }

    fn check_members(&mut self, at: &str, members: &[MemberInfo], shape_name: &str, input: bool) {
        let shape = self.shape(shape_name).clone();
        let model_members = shape["members"].as_object().cloned().unwrap_or_default();
        let required: Vec<&str> = shape
            .get("required")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        for m in members {
            let here = format!("{at}.{}", m.name);
            let Some(target) = model_members.get(m.name).and_then(|v| v["shape"].as_str()) else {
                self.fail(format!("{here}: member not in model shape {shape_name}"));
                continue;
            };
            let model_required = required.contains(&m.name);
            if input && m.required != model_required {
                self.fail(format!(
                    "{here}: required {} but model says {model_required}",
                    m.required
                ));
            }
            if !input && model_required && !m.required {
                self.fail(format!("{here}: model requires it, we may omit it"));
            }
            self.check_type(&here, &m.ty, target, input);
            if input {
                match m.constraint {
                    Some(c) => self.check_constraint(&here, c, target),
                    None if Self::has_constraints(self.shape(target))
                        && !matches!(m.ty, WireType::Structure(_)) =>
                    {
                        self.fail(format!(
                            "{here}: model shape {target} has constraints we do not enforce"
                        ));
                    }
                    None => {}
                }
            }
        }
        if input {
            for r in &required {
                if !members.iter().any(|m| m.name == *r) {
                    self.fail(format!("{at}: model-required member {r} not decoded"));
                }
            }
        }
    }

    fn check_operation(&mut self, op: &OperationInfo) {
        let Some(model_op) = self.model["operations"].get(op.name).cloned() else {
            self.fail(format!("operation {} not in model", op.name));
            return;
        };
        match model_op["input"]["shape"].as_str() {
            Some(input) => self.check_members(op.name, op.input, input, true),
            None if op.input.is_empty() => {}
            None => self.fail(format!(
                "{}: model has no input but we decode members",
                op.name
            )),
        }
        match (op.output, model_op["output"]["shape"].as_str()) {
            (Some(members), Some(output)) => self.check_members(op.name, members, output, false),
            (None, None) => {}
            (Some(_), None) => self.fail(format!(
                "{}: we emit a Result but the model has no output",
                op.name
            )),
            (None, Some(_)) => self.fail(format!(
                "{}: model has an output shape but we emit none",
                op.name
            )),
        }
    }
}

fn check_service(service: &'static str, model: &Value, served: &[OperationInfo]) -> Vec<String> {
    let mut c = Checker {
        model,
        service,
        failures: Vec::new(),
    };
    for op in served {
        c.check_operation(op);
    }
    let total = model["operations"]
        .as_object()
        .map_or(0, serde_json::Map::len);
    println!("{service}: serving {} of {total} operations", served.len());
    // What is left to serve, for the record (`-- --nocapture`).
    let missing: Vec<&str> = (model["operations"].as_object().into_iter().flatten())
        .map(|(name, _)| name.as_str())
        .filter(|name| !served.iter().any(|op| op.name == *name))
        .collect();
    println!("{service}: not served: {}", missing.join(" "));
    c.failures
}

#[test]
fn served_operations_and_error_codes_match_botocore_models() {
    let services = ["iam", "sts", "organizations", "account", "cloudtrail"];
    let models: BTreeMap<&str, Value> = services.iter().map(|s| (*s, load_model(s))).collect();
    let mut failures = Vec::new();

    failures.extend(check_service(
        "iam",
        &models["iam"],
        rampart_wire::iam::SERVED_OPERATIONS,
    ));
    failures.extend(check_service(
        "sts",
        &models["sts"],
        rampart_wire::sts::SERVED_OPERATIONS,
    ));
    failures.extend(check_service(
        "organizations",
        &models["organizations"],
        rampart_wire::organizations::SERVED_OPERATIONS,
    ));
    failures.extend(check_service(
        "account",
        &models["account"],
        rampart_wire::account::SERVED_OPERATIONS,
    ));

    failures.extend(check_service(
        "cloudtrail",
        &models["cloudtrail"],
        rampart_wire::cloudtrail::SERVED_OPERATIONS,
    ));
    let cloudtrail_target = models["cloudtrail"]["metadata"]["targetPrefix"].as_str();
    if cloudtrail_target != Some(rampart_wire::JsonService::CloudTrail.target_prefix()) {
        failures.push(format!(
            "cloudtrail: target prefix, model says {cloudtrail_target:?}"
        ));
    }

    // Account paths: every route we accept is a modeled operation at that URI.
    let account_ops = models["account"]["operations"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    for (name, path) in rampart_wire::route::ACCOUNT_OPERATIONS {
        match account_ops.get(*name) {
            Some(op) if op["http"]["requestUri"].as_str() == Some(path) => {}
            Some(op) => failures.push(format!(
                "account: {name} at {path}, model says {}",
                op["http"]["requestUri"]
            )),
            None => failures.push(format!("account: {name} not in model")),
        }
    }
    println!(
        "account: routing {} of {} operations",
        rampart_wire::route::ACCOUNT_OPERATIONS.len(),
        account_ops.len()
    );

    // Error codes: modeled (with the same status and fault somewhere) or documented common.
    // CloudTrail models 86 exceptions for 60 operations; we claim only those of the
    // operations we serve, so only those must have a variant.
    let cloudtrail_served: Vec<&str> = rampart_wire::cloudtrail::SERVED_OPERATIONS
        .iter()
        .flat_map(|op| {
            models["cloudtrail"]["operations"][op.name]["errors"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|e| e["shape"].as_str())
        })
        .collect();
    let mut modeled: BTreeMap<String, Vec<(u16, bool, &str)>> = BTreeMap::new();
    let mut optional: Vec<String> = Vec::new();
    for (svc, model) in &models {
        for (name, shape) in model["shapes"].as_object().into_iter().flatten() {
            if shape.get("exception").and_then(Value::as_bool) != Some(true) {
                continue;
            }
            if *svc == "cloudtrail" && !cloudtrail_served.contains(&name.as_str()) {
                optional.push(name.clone());
            }
            let err = &shape["error"];
            let code = err["code"].as_str().unwrap_or(name).to_owned();
            let server = shape.get("fault").and_then(Value::as_bool) == Some(true);
            let status = err["httpStatusCode"]
                .as_u64()
                .map_or(if server { 500 } else { 400 }, |s| s as u16);
            let sender = err["senderFault"]
                .as_bool()
                .unwrap_or(!server && status < 500);
            modeled.entry(code).or_default().push((status, sender, svc));
        }
    }
    let common: Vec<&str> = rampart_wire::error::COMMON_ERRORS
        .iter()
        .map(|(c, _)| *c)
        .collect();
    for code in ErrorCode::ALL {
        let sender = code.fault() == rampart_wire::Fault::Sender;
        match modeled.get(code.code()) {
            Some(entries) => {
                if !entries
                    .iter()
                    .any(|(s, f, _)| *s == code.http_status() && *f == sender)
                {
                    failures.push(format!(
                        "error {:?}: status {} / sender {sender} matches none of the model's {entries:?}",
                        code,
                        code.http_status()
                    ));
                }
            }
            None if common.contains(&code.code()) => {}
            None => failures.push(format!(
                "error {code:?} ({}) is neither modeled nor a documented common error",
                code.code()
            )),
        }
    }
    for code in &common {
        if modeled.contains_key(*code) {
            failures.push(format!(
                "common error {code} is actually modeled; remove it from COMMON_ERRORS"
            ));
        }
        if !ErrorCode::ALL.iter().any(|c| c.code() == *code) {
            failures.push(format!("common error {code} has no ErrorCode variant"));
        }
    }
    let unmapped: Vec<&String> = modeled
        .keys()
        .filter(|k| !ErrorCode::ALL.iter().any(|c| c.code() == k.as_str()))
        .filter(|k| {
            !optional.contains(k)
                || modeled[k.as_str()]
                    .iter()
                    .any(|(_, _, s)| *s != "cloudtrail")
        })
        .collect();
    if !unmapped.is_empty() {
        failures.push(format!(
            "modeled error codes without an ErrorCode variant: {unmapped:?}"
        ));
    }
    println!(
        "error codes: {} variants, {} modeled codes, {} common",
        ErrorCode::ALL.len(),
        modeled.len(),
        common.len()
    );

    assert!(
        failures.is_empty(),
        "{} model mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
