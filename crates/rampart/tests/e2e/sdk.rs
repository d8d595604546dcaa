//! aws-sdk-rust (aws-sdk-iam, aws-sdk-sts) against the real server.

use aws_sdk_iam::config::{BehaviorVersion, Credentials, Region};

use crate::harness::{Keys, REGION, Server};

fn sts(server: &Server, keys: &Keys) -> aws_sdk_sts::Client {
    let config = aws_sdk_sts::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(REGION))
        .endpoint_url(&server.endpoint)
        .credentials_provider(Credentials::new(
            &keys.access_key_id,
            &keys.secret_access_key,
            None,
            None,
            "test",
        ))
        .build();
    aws_sdk_sts::Client::from_conf(config)
}

fn iam(server: &Server, keys: &Keys) -> aws_sdk_iam::Client {
    let config = aws_sdk_iam::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(REGION))
        .endpoint_url(&server.endpoint)
        .credentials_provider(Credentials::new(
            &keys.access_key_id,
            &keys.secret_access_key,
            None,
            None,
            "test",
        ))
        .build();
    aws_sdk_iam::Client::from_conf(config)
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn sdk_identities_denial_and_allow() {
    let server = Server::start();
    let admin = server.admin_keys();
    let (other_account, root) = server.create_account("sdk-root@example.com");
    runtime().block_on(async {
        let me = sts(&server, &admin)
            .get_caller_identity()
            .send()
            .await
            .unwrap();
        assert!(me.arn().unwrap().ends_with(":user/admin"));
        let me = sts(&server, &root)
            .get_caller_identity()
            .send()
            .await
            .unwrap();
        assert_eq!(
            me.arn(),
            Some(format!("arn:aws:iam::{other_account}:root").as_str())
        );

        let admin_iam = iam(&server, &admin);
        let user = admin_iam
            .create_user()
            .user_name("frank")
            .send()
            .await
            .unwrap();
        assert_eq!(user.user().unwrap().user_name(), "frank");
        let key = admin_iam
            .create_access_key()
            .user_name("frank")
            .send()
            .await
            .unwrap();
        let key = key.access_key().unwrap();
        let frank = Keys {
            access_key_id: key.access_key_id().to_owned(),
            secret_access_key: key.secret_access_key().to_owned(),
        };
        let me = sts(&server, &frank)
            .get_caller_identity()
            .send()
            .await
            .unwrap();
        assert!(me.arn().unwrap().ends_with(":user/frank"));

        let err = iam(&server, &frank).list_users().send().await.unwrap_err();
        let service = err.into_service_error();
        assert_eq!(
            aws_sdk_iam::error::ProvideErrorMetadata::code(&service),
            Some("AccessDenied")
        );
        admin_iam
            .attach_user_policy()
            .user_name("frank")
            .policy_arn("arn:aws:iam::aws:policy/IAMReadOnlyAccess")
            .send()
            .await
            .unwrap();
        let users = iam(&server, &frank).list_users().send().await.unwrap();
        assert_eq!(users.users().len(), 2);

        let err = admin_iam
            .get_user()
            .user_name("nobody")
            .send()
            .await
            .unwrap_err()
            .into_service_error();
        assert!(err.is_no_such_entity_exception(), "{err:?}");
        let err = admin_iam
            .create_user()
            .user_name("frank")
            .send()
            .await
            .unwrap_err()
            .into_service_error();
        assert!(err.is_entity_already_exists_exception(), "{err:?}");
    });
}

#[test]
fn sdk_bad_credentials() {
    let server = Server::start();
    let admin = server.admin_keys();
    runtime().block_on(async {
        let wrong = Keys {
            secret_access_key: "A".repeat(40),
            ..admin.clone()
        };
        let err = sts(&server, &wrong)
            .get_caller_identity()
            .send()
            .await
            .unwrap_err()
            .into_service_error();
        assert_eq!(
            aws_sdk_sts::error::ProvideErrorMetadata::code(&err),
            Some("SignatureDoesNotMatch")
        );
        let unknown = Keys {
            access_key_id: "AKIAAAAAAAAAAAAAAAAA".into(),
            ..admin
        };
        let err = sts(&server, &unknown)
            .get_caller_identity()
            .send()
            .await
            .unwrap_err()
            .into_service_error();
        assert_eq!(
            aws_sdk_sts::error::ProvideErrorMetadata::code(&err),
            Some("InvalidClientTokenId")
        );
    });
}
