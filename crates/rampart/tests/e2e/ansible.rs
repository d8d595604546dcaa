//! Ansible's `amazon.aws` IAM modules (from the `ansible` PyPI package pinned in
//! `requirements-test.txt`) against the real server: a small playbook creates a managed
//! policy, a user, a group, an inline policy, a role with its instance profile and the password policy, and applying it
//! again changes nothing — which needs every read the modules compare against to round-trip.

use std::path::Path;
use std::process::Command;

use crate::harness::{Keys, Server, TempDir};

/// One `ansible-playbook` run of `tests/e2e/ansible/site.yml`; returns its `changed=` count.
fn apply(server: &Server, keys: &Keys, home: &TempDir) -> u32 {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/e2e/ansible");
    let out = Command::new("ansible-playbook")
        .arg("-i")
        .arg("localhost,")
        .arg(dir.join("site.yml"))
        .current_dir(&dir)
        .env("RAMPART_ENDPOINT", &server.endpoint)
        .env("RAMPART_ACCESS_KEY_ID", &keys.access_key_id)
        .env("RAMPART_SECRET_ACCESS_KEY", &keys.secret_access_key)
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env_remove("AWS_PROFILE")
        // Ansible's own state (local and "remote" temp files, caches) stays in the test's directory.
        .env("ANSIBLE_HOME", &home.0)
        .env("ANSIBLE_LOCAL_TEMP", home.0.join("tmp"))
        .env("ANSIBLE_REMOTE_TMP", home.0.join("remote-tmp"))
        .env("ANSIBLE_NOCOLOR", "1")
        .env("ANSIBLE_LOCALHOST_WARNING", "false")
        .output()
        .expect("ansible-playbook (pip install -r requirements-test.txt)");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let report = format!(
        "ansible-playbook failed\nstdout:\n{stdout}\nstderr:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{report}");
    let recap = stdout
        .lines()
        .find(|l| l.starts_with("localhost") && l.contains("changed="))
        .unwrap_or_else(|| panic!("no PLAY RECAP line\n{report}"));
    let count = |name: &str| -> u32 {
        recap
            .split_whitespace()
            .find_map(|field| field.strip_prefix(name))
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no {name} in {recap:?}"))
    };
    assert_eq!(count("failed="), 0, "{report}");
    assert_eq!(count("unreachable="), 0, "{report}");
    count("changed=")
}

#[test]
fn ansible_amazon_aws_iam_modules_apply_a_playbook_and_reapply_it_unchanged() {
    let server = Server::start();
    let keys = server.admin_keys();
    let home = TempDir::new();

    // Every one of the playbook's six tasks creates something on a fresh server.
    assert_eq!(apply(&server, &keys, &home), 6);

    let user = server.aws_as(&keys, &["iam", "get-user", "--user-name", "ansible-alice"]);
    assert_eq!(user.json()["User"]["Path"], "/ansible/");
    assert_eq!(user.json()["User"]["Tags"][0]["Value"], "platform");
    let members = server.aws_as(&keys, &["iam", "get-group", "--group-name", "ansible-devs"]);
    assert_eq!(members.json()["Users"][0]["UserName"], "ansible-alice");
    let attached = server.aws_as(
        &keys,
        &[
            "iam",
            "list-attached-group-policies",
            "--group-name",
            "ansible-devs",
        ],
    );
    assert_eq!(
        attached.json()["AttachedPolicies"][0]["PolicyName"],
        "ansible-read-only"
    );
    let inline = server.aws_as(
        &keys,
        &["iam", "list-user-policies", "--user-name", "ansible-alice"],
    );
    assert_eq!(inline.json()["PolicyNames"][0], "list-roles");
    let role = server.aws_as(&keys, &["iam", "get-role", "--role-name", "ansible-app"]);
    assert_eq!(
        role.json()["Role"]["Description"],
        "Assumed by the application"
    );
    let role_policies = server.aws_as(
        &keys,
        &[
            "iam",
            "list-attached-role-policies",
            "--role-name",
            "ansible-app",
        ],
    );
    assert_eq!(
        role_policies.json()["AttachedPolicies"][0]["PolicyName"],
        "ansible-read-only"
    );
    let passwords = server.aws_as(&keys, &["iam", "get-account-password-policy"]);
    assert_eq!(
        passwords.json()["PasswordPolicy"]["MinimumPasswordLength"],
        14
    );
    assert_eq!(
        passwords.json()["PasswordPolicy"]["PasswordReusePrevention"],
        5
    );

    let profile = server.aws_as(
        &keys,
        &[
            "iam",
            "get-instance-profile",
            "--instance-profile-name",
            "ansible-app",
        ],
    );
    assert_eq!(
        profile.json()["InstanceProfile"]["Roles"][0]["RoleName"],
        "ansible-app"
    );

    assert_eq!(
        apply(&server, &keys, &home),
        0,
        "re-applying changed something"
    );
}
