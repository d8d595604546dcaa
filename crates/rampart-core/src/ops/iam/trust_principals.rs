//! IAM users and roles named in role trust policies. IAM resolves such a principal to the
//! entity's unique id when it stores the policy: naming a user or role that does not exist
//! is `MalformedPolicyDocument` ("Invalid principal in policy"), and once the entity is
//! deleted the policy shows its unique id (`AIDA…`/`AROA…`), so a namesake created later is
//! not trusted. Rampart keeps the ARNs in the text and rewrites them when the entity goes
//! away (to its unique id) or moves (a renamed user: to its new ARN), finding the roles
//! through the state's trust-principal index.

use rampart_policy::Policy;

use crate::engine::WriteTxn;
use crate::error::CoreError;
use crate::state::State;

/// The unique id of the user or role `arn` names, if it exists with exactly that ARN
/// (path included; the partition may differ, as test mode's signing regions choose).
fn resolve(state: &State, arn: &str) -> Option<String> {
    let (account, entity, name) = crate::arns::parse_iam_arn(arn)?;
    let same =
        |stored: &str| crate::state::principal_key(stored) == crate::state::principal_key(arn);
    match entity {
        "user" => state
            .user(&account, name)
            .filter(|u| same(&u.record.arn()))
            .map(|u| u.record.id.clone()),
        "role" => state
            .role(&account, name)
            .filter(|r| same(&r.record.arn()))
            .map(|r| r.record.id.clone()),
        _ => None,
    }
}

/// Refuses a trust policy that names an IAM user or role that does not exist, as IAM does.
pub fn check_exist(state: &State, policy: &Policy) -> Result<(), CoreError> {
    let named = policy.document().statements().iter();
    for arn in named.flat_map(|s| s.iam_principal_arns()) {
        // Wildcards are matched as patterns at evaluation, not resolved.
        if !arn.contains(['*', '?']) && resolve(state, arn).is_none() {
            return Err(CoreError::MalformedPolicyDocument(format!(
                "Invalid principal in policy: \"AWS\":\"{arn}\""
            )));
        }
    }
    Ok(())
}

/// Rewrites every trust policy naming `arn` to name `replacement` instead: the unique id
/// of a deleted user or role, or a renamed user's new ARN.
pub fn replace(txn: &mut WriteTxn<'_>, arn: &str, replacement: &str) -> Result<(), CoreError> {
    let key = crate::state::principal_key(arn);
    // Each role with the spellings it uses for `arn` (the partition may differ).
    let trusting: Vec<_> = txn
        .state()
        .roles_trusting(arn)
        .map(|r| {
            let named = r.trust.document().statements().iter();
            let spellings: Vec<String> = named
                .flat_map(|s| s.iam_principal_arns())
                .filter(|named| crate::state::principal_key(named) == key)
                .map(str::to_owned)
                .collect();
            (r.record.clone(), spellings)
        })
        .collect();
    for (mut role, spellings) in trusting {
        for spelling in spellings {
            role.trust_policy = role
                .trust_policy
                .replace(&format!("\"{spelling}\""), &format!("\"{replacement}\""));
        }
        txn.put(&role)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use rampart_wire::iam::{self as wire, Operation as Op, Output};

    use super::super::fixture::Fixture;
    use crate::error::CoreError;

    fn trusting(f: &Fixture, principal: &str) -> String {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{}:{principal}"}},"Action":"sts:AssumeRole"}}]}}"#,
            f.account()
        )
    }

    fn create_role(f: &Fixture, name: &str, trust: String) -> Result<Output, CoreError> {
        f.run(Op::CreateRole(wire::CreateRoleInput {
            role_name: name.to_owned(),
            assume_role_policy_document: trust,
            ..Default::default()
        }))
    }

    fn trust_text(f: &Fixture, role: &str) -> String {
        f.state()
            .role(f.account(), role)
            .unwrap()
            .record
            .trust_policy
            .clone()
    }

    #[test]
    fn a_user_or_role_that_does_not_exist_is_an_invalid_principal() {
        let f = Fixture::new();
        let err = create_role(&f, "app", trusting(&f, "user/ghost")).unwrap_err();
        let want = format!(
            "Invalid principal in policy: \"AWS\":\"arn:aws:iam::{}:user/ghost\"",
            f.account()
        );
        assert!(
            matches!(err, CoreError::MalformedPolicyDocument(ref m) if *m == want),
            "{err:?}"
        );
        f.user("ghost");
        // The path is part of the ARN.
        assert!(create_role(&f, "app", trusting(&f, "user/ops/ghost")).is_err());
        create_role(&f, "app", trusting(&f, "user/ghost")).unwrap();
        f.role("deployer");
        create_role(&f, "chained", trusting(&f, "role/deployer")).unwrap();
        let err = f
            .run(Op::UpdateAssumeRolePolicy(
                wire::UpdateAssumeRolePolicyInput {
                    role_name: "app".into(),
                    policy_document: trusting(&f, "role/nobody"),
                },
            ))
            .unwrap_err();
        assert!(
            matches!(err, CoreError::MalformedPolicyDocument(_)),
            "{err:?}"
        );
    }

    #[test]
    fn a_deleted_principal_becomes_its_unique_id_and_a_namesake_is_not_trusted() {
        let f = Fixture::new();
        f.user("alice");
        let id = f
            .state()
            .user(f.account(), "alice")
            .unwrap()
            .record
            .id
            .clone();
        create_role(&f, "app", trusting(&f, "user/alice")).unwrap();
        f.run(Op::DeleteUser(wire::DeleteUserInput {
            user_name: "alice".into(),
        }))
        .unwrap();
        let text = trust_text(&f, "app");
        assert!(text.contains(&format!("\"AWS\":\"{id}\"")), "{text}");
        f.user("alice");
        assert!(!trust_text(&f, "app").contains("user/alice"));
    }

    #[test]
    fn a_renamed_user_stays_trusted_under_its_new_name() {
        let f = Fixture::new();
        f.user("alice");
        create_role(&f, "app", trusting(&f, "user/alice")).unwrap();
        f.run(Op::UpdateUser(wire::UpdateUserInput {
            user_name: "alice".into(),
            new_user_name: Some("alicia".into()),
            new_path: Some("/ops/".into()),
        }))
        .unwrap();
        let text = trust_text(&f, "app");
        let arn = format!("arn:aws:iam::{}:user/ops/alicia", f.account());
        assert!(text.contains(&arn), "{text}");
    }
}
