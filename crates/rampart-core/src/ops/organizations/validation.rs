//! Validation of effective management policies (`ListAccountsWithInvalidEffectivePolicy`,
//! `ListEffectivePolicyValidationErrors`). An account's effective policy of a management
//! type is built from the policies attached from the root down to it (`policies::effective`,
//! organizations.md §5.4); it is invalid where a policy uses an inheritance operator that a
//! policy higher up forbids with `@@operators_allowed_for_child_policies` ("Inheritance
//! operators", Organizations User Guide: a child cannot use operators its parent did not
//! allow, and `@@none` locks the value). Such an element is not enforced as written.
//!
//! **[choice]** AWS does not document its error codes; each error here is
//! `INHERITANCE_OPERATOR_NOT_ALLOWED` with the element's path (`/`-separated keys) and the
//! restricting and offending policies as contributing policies.

use rampart_wire::Timestamp;
use rampart_wire::organizations::{self as wire, Output};
use serde_json::Value;

use super::{Execution, page};
use crate::error::CoreError;
use crate::model::{OrgAccountRecord, OrganizationRecord};
use crate::state::State;

/// The error code of an element a parent's operator restriction forbids.
const NOT_ALLOWED: &str = "INHERITANCE_OPERATOR_NOT_ALLOWED";
/// The value-setting inheritance operators.
const OPERATORS: [&str; 3] = ["@@assign", "@@append", "@@remove"];
/// The key by which a policy restricts the operators of policies below it.
const RESTRICT: &str = "@@operators_allowed_for_child_policies";

/// `ListAccountsWithInvalidEffectivePolicy`: the members whose effective policy of the type
/// has validation errors.
pub fn list_accounts_with_invalid_effective_policy(
    cx: &Execution<'_>,
    input: &wire::ListAccountsWithInvalidEffectivePolicyInput,
) -> Result<Output, CoreError> {
    let ctx = cx.reader()?;
    let state = cx.state();
    let policy_type = input.policy_type.as_str();
    if !ctx.org.type_enabled(policy_type) {
        return Err(CoreError::EffectivePolicyNotFound);
    }
    let all: Vec<_> = state
        .org_members(&ctx.org.id)
        .filter(|m| !errors(state, &ctx.org, m, policy_type).is_empty())
        .map(|m| super::accounts::to_wire(state, &ctx.org, m))
        .collect();
    let (accounts, next_token) = page(all, input.next_token.as_deref(), input.max_results, |a| {
        a.id.clone()
    })?;
    Ok(wire::ListAccountsWithInvalidEffectivePolicyOutput {
        accounts,
        policy_type: input.policy_type,
        next_token,
    }
    .into())
}

/// `ListEffectivePolicyValidationErrors` of one member and policy type.
pub fn list_effective_policy_validation_errors(
    cx: &Execution<'_>,
    input: &wire::ListEffectivePolicyValidationErrorsInput,
) -> Result<Output, CoreError> {
    let ctx = cx.reader()?;
    let state = cx.state();
    let member = super::accounts::member(state, &ctx.org, &input.account_id)?;
    let policy_type = input.policy_type.as_str();
    if !ctx.org.type_enabled(policy_type)
        || super::policies::effective(state, &ctx.org, member, policy_type).is_none()
    {
        return Err(CoreError::EffectivePolicyNotFound);
    }
    let all = errors(state, &ctx.org, member, policy_type);
    let (effective_policy_validation_errors, next_token) =
        page(all, input.next_token.as_deref(), input.max_results, |e| {
            format!(
                "{}\u{0}{}",
                e.path_to_error,
                e.contributing_policies.join(",")
            )
        })?;
    Ok(wire::ListEffectivePolicyValidationErrorsOutput {
        account_id: member.account.as_str().to_owned(),
        policy_type: input.policy_type,
        path: super::entity_path(state, &ctx.org, &member.parent, member.account.as_str()),
        evaluation_timestamp: Timestamp(cx.now),
        next_token,
        effective_policy_validation_errors,
    }
    .into())
}

/// A restriction a policy places on the policies below it.
struct Restriction {
    /// The element it restricts (and everything under it).
    path: Vec<String>,
    /// The operators still allowed (`@@all`, `@@none`, or a subset of [`OPERATORS`]).
    allowed: Vec<String>,
    /// The restricting policy.
    policy: String,
    /// The level (0 = root) it was attached at.
    level: usize,
}

/// The validation errors of `member`'s effective policy of `policy_type`.
pub fn errors(
    state: &State,
    org: &OrganizationRecord,
    member: &OrgAccountRecord,
    policy_type: &str,
) -> Vec<wire::EffectivePolicyValidationError> {
    let mut levels: Vec<&Vec<String>> = vec![&org.root_policies];
    for ou in super::ou_chain(state, org, &member.parent) {
        if let Some(unit) = state.org_unit(&ou) {
            levels.push(&unit.policies);
        }
    }
    levels.push(&member.policies);
    let mut restrictions = Vec::new();
    let mut out = Vec::new();
    for (level, ids) in levels.into_iter().enumerate() {
        for entry in ids
            .iter()
            .filter_map(|id| state.org_policy(id))
            .filter(|p| p.record.policy_type == policy_type)
        {
            let Ok(doc) = serde_json::from_str::<Value>(&entry.record.content) else {
                continue;
            };
            let mut walk = Walk {
                policy: &entry.record.id,
                level,
                restrictions: &mut restrictions,
                errors: &mut out,
            };
            walk.node(&doc, &mut Vec::new());
        }
    }
    out
}

/// One policy document walked at its level.
struct Walk<'a> {
    policy: &'a str,
    level: usize,
    restrictions: &'a mut Vec<Restriction>,
    errors: &'a mut Vec<wire::EffectivePolicyValidationError>,
}

impl Walk<'_> {
    fn node(&mut self, value: &Value, path: &mut Vec<String>) {
        let Value::Object(map) = value else {
            return;
        };
        for op in OPERATORS.iter().filter(|op| map.contains_key(**op)) {
            if let Some(by) = self.forbidding(path, op) {
                let at = path.join("/");
                self.errors.push(wire::EffectivePolicyValidationError {
                    error_code: NOT_ALLOWED.to_owned(),
                    error_message: format!(
                        "The inheritance operator {op} is not allowed at {at} by a parent policy."
                    ),
                    path_to_error: at,
                    contributing_policies: vec![by, self.policy.to_owned()],
                });
            }
        }
        if let Some(Value::Array(allowed)) = map.get(RESTRICT) {
            self.restrictions.push(Restriction {
                path: path.clone(),
                allowed: allowed
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect(),
                policy: self.policy.to_owned(),
                level: self.level,
            });
        }
        for (key, child) in map.iter().filter(|(k, _)| !k.starts_with("@@")) {
            path.push(key.clone());
            self.node(child, path);
            path.pop();
        }
    }

    /// The policy above this one that forbids `op` at `path`, if any.
    fn forbidding(&self, path: &[String], op: &str) -> Option<String> {
        self.restrictions
            .iter()
            .filter(|r| r.level < self.level && path.starts_with(&r.path))
            .find(|r| !r.allowed.iter().any(|a| a == "@@all" || a == op))
            .map(|r| r.policy.clone())
    }
}

#[cfg(test)]
mod tests {
    use rampart_wire::ErrorCode;
    use serde_json::json;

    use super::super::testing::{failure, member, organization, run};
    use super::*;

    fn create(
        engine: &crate::engine::Engine,
        mgmt: &crate::model::AccountId,
        name: &str,
        content: Value,
    ) -> String {
        let input = json!({"Content": content.to_string(), "Description": "", "Name": name,
            "Type": "TAG_POLICY"});
        let Output::CreatePolicy(out) = run(engine, mgmt, "CreatePolicy", input).unwrap() else {
            panic!("wrong output")
        };
        out.policy.policy_summary.id
    }

    #[test]
    fn a_child_operator_the_parent_locked_is_a_validation_error() {
        let (engine, management) = organization();
        let dev = member(&engine, &management, "dev@example.com");
        let list = json!({"PolicyType": "TAG_POLICY"});
        let got = failure(run(
            &engine,
            &management,
            "ListAccountsWithInvalidEffectivePolicy",
            list.clone(),
        ));
        assert_eq!(got.0, ErrorCode::EffectivePolicyNotFoundException);
        let root = engine
            .snapshot()
            .org_of(&management)
            .unwrap()
            .0
            .root_id
            .clone();
        let enable = json!({"RootId": root, "PolicyType": "TAG_POLICY"});
        run(&engine, &management, "EnablePolicyType", enable).unwrap();
        let locked = create(
            &engine,
            &management,
            "locked",
            json!({"tags": {"costcenter": {
            "tag_key": {"@@assign": "CostCenter"},
            "@@operators_allowed_for_child_policies": ["@@none"]}}}),
        );
        let child = create(
            &engine,
            &management,
            "child",
            json!({"tags": {"costcenter": {
            "tag_key": {"@@assign": "costcenter"}}}}),
        );
        let attach = |policy: &str, target: &str| {
            let input = json!({"PolicyId": policy, "TargetId": target});
            run(&engine, &management, "AttachPolicy", input).unwrap();
        };
        attach(&locked, &root);
        let Output::ListAccountsWithInvalidEffectivePolicy(out) = run(
            &engine,
            &management,
            "ListAccountsWithInvalidEffectivePolicy",
            list.clone(),
        )
        .unwrap() else {
            panic!("wrong output")
        };
        assert!(out.accounts.is_empty());
        attach(&child, dev.as_str());
        let Output::ListAccountsWithInvalidEffectivePolicy(out) = run(
            &engine,
            &management,
            "ListAccountsWithInvalidEffectivePolicy",
            list,
        )
        .unwrap() else {
            panic!("wrong output")
        };
        let ids: Vec<_> = out.accounts.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, [dev.as_str()]);
        let input = json!({"AccountId": dev.as_str(), "PolicyType": "TAG_POLICY"});
        let Output::ListEffectivePolicyValidationErrors(out) = run(
            &engine,
            &management,
            "ListEffectivePolicyValidationErrors",
            input,
        )
        .unwrap() else {
            panic!("wrong output")
        };
        assert_eq!(out.effective_policy_validation_errors.len(), 1);
        let error = &out.effective_policy_validation_errors[0];
        assert_eq!(error.path_to_error, "tags/costcenter/tag_key");
        assert_eq!(error.contributing_policies, [locked, child]);
        assert!(out.path.ends_with(&format!("/{dev}/")));
        let none = json!({"AccountId": management.as_str(), "PolicyType": "BACKUP_POLICY"});
        let got = failure(run(
            &engine,
            &management,
            "ListEffectivePolicyValidationErrors",
            none,
        ));
        assert_eq!(got.0, ErrorCode::EffectivePolicyNotFoundException);
    }
}
