//! The policy engine end to end: variables, conditions, boundaries and simulation.

use crate::harness::{Keys, Server};

#[test]
fn boto3_policy_variables_source_ip_boundaries_and_simulation() {
    let server = Server::start();
    server.boto3("policy_engine.py", &server.admin_keys(), &[]);
}

#[test]
fn cli_user_manages_only_its_own_access_keys() {
    let server = Server::start();
    let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:*AccessKey*"],"Resource":"arn:aws:iam::*:user/${aws:username}"}]}"#;
    server
        .aws(&["iam", "create-group", "--group-name", "keys"])
        .json();
    server
        .aws(&[
            "iam",
            "put-group-policy",
            "--group-name",
            "keys",
            "--policy-name",
            "own",
            "--policy-document",
            policy,
        ])
        .json();
    let mut keys = Vec::new();
    for name in ["gina", "hank"] {
        server
            .aws(&["iam", "create-user", "--user-name", name])
            .json();
        server
            .aws(&[
                "iam",
                "add-user-to-group",
                "--group-name",
                "keys",
                "--user-name",
                name,
            ])
            .json();
        let key = server
            .aws(&["iam", "create-access-key", "--user-name", name])
            .json();
        keys.push(Keys {
            access_key_id: key["AccessKey"]["AccessKeyId"].as_str().unwrap().to_owned(),
            secret_access_key: key["AccessKey"]["SecretAccessKey"]
                .as_str()
                .unwrap()
                .to_owned(),
        });
    }
    let gina = &keys[0];
    let listed = server.aws_as(gina, &["iam", "list-access-keys"]).json();
    assert_eq!(
        listed["AccessKeyMetadata"][0]["AccessKeyId"],
        gina.access_key_id.as_str()
    );
    server
        .aws_as(gina, &["iam", "list-access-keys", "--user-name", "hank"])
        .expect_error("AccessDenied");
    server
        .aws_as(
            gina,
            &[
                "iam",
                "update-access-key",
                "--user-name",
                "hank",
                "--access-key-id",
                &keys[1].access_key_id,
                "--status",
                "Inactive",
            ],
        )
        .expect_error("AccessDenied");
    let simulated = server
        .aws(&[
            "iam",
            "simulate-principal-policy",
            "--policy-source-arn",
            &server
                .aws(&["iam", "get-user", "--user-name", "gina"])
                .json()["User"]["Arn"]
                .as_str()
                .unwrap()
                .to_owned(),
            "--action-names",
            "iam:ListAccessKeys",
            "--resource-arns",
            &server
                .aws(&["iam", "get-user", "--user-name", "hank"])
                .json()["User"]["Arn"]
                .as_str()
                .unwrap()
                .to_owned(),
        ])
        .json();
    assert_eq!(
        simulated["EvaluationResults"][0]["EvalDecision"],
        "implicitDeny"
    );
}
