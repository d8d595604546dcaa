//! Admin commands on the request path: what `rampart init`, `account create` and `root …`
//! do on the server's machine. IAM work runs as the account's root through
//! [`RequestPath::run`] like any API call; the two actions AWS offers no API for (signing up
//! an account, registering security questions) write through the engine and are recorded as
//! `account.amazonaws.com` events of the root, so every admin write is in the trail.

use rampart_wire::iam as wire;

use super::iam::Iam;
use super::signin::root_caller;
use super::{Call, Origin, RequestPath};
use crate::audit::{AuditEvent, EventType};
use crate::error::CoreError;
use crate::model::{AccountId, AccountRecord};
use crate::ops::{root, signup};

/// The group and managed policy of the first administrator `init` creates.
pub const ADMIN_GROUP: &str = "Administrators";
/// The policy attached to [`ADMIN_GROUP`].
pub const ADMIN_POLICY: &str = "arn:aws:iam::aws:policy/AdministratorAccess";

/// An access key as an admin command prints it once.
#[derive(Debug, Clone)]
pub struct NewAccessKey {
    /// `AKIA…`.
    pub id: String,
    /// The secret, shown once.
    pub secret: String,
}

impl RequestPath {
    /// Signs up a standalone account with its root user (and root password, when given).
    pub fn create_account(
        &self,
        origin: &Origin,
        email: &str,
        name: &str,
        root_password: Option<&str>,
    ) -> Result<AccountRecord, CoreError> {
        let now = origin.env.now;
        let account = self
            .engine
            .write(|txn| signup::create_account(txn, email, name, root_password, now))?;
        self.record_admin(origin, &account.id, "CreateAccount");
        Ok(account)
    }

    /// Registers the root's legacy security questions (answers are hashed).
    pub fn put_security_questions(
        &self,
        origin: &Origin,
        account: &AccountId,
        pairs: &[(String, String)],
    ) -> Result<(), CoreError> {
        self.engine
            .write(|txn| root::set_security_questions(txn, account, pairs))?;
        self.record_admin(origin, account, "PutSecurityQuestions");
        Ok(())
    }

    /// The first administrator of a new account, as a person would set it up: group
    /// `Administrators` with `AdministratorAccess`, user `admin` in it, and an access key
    /// for `admin` — each an IAM call made by the root.
    pub fn first_administrator(
        &self,
        origin: &Origin,
        account: &AccountId,
    ) -> Result<NewAccessKey, CoreError> {
        let call = Call {
            caller: root_caller(account.clone()),
            origin: origin.clone(),
        };
        let steps = [
            wire::Operation::CreateGroup(wire::CreateGroupInput {
                group_name: ADMIN_GROUP.to_owned(),
                ..Default::default()
            }),
            wire::Operation::AttachGroupPolicy(wire::AttachGroupPolicyInput {
                group_name: ADMIN_GROUP.to_owned(),
                policy_arn: ADMIN_POLICY.to_owned(),
            }),
            wire::Operation::CreateUser(wire::CreateUserInput {
                user_name: "admin".to_owned(),
                ..Default::default()
            }),
            wire::Operation::AddUserToGroup(wire::AddUserToGroupInput {
                group_name: ADMIN_GROUP.to_owned(),
                user_name: "admin".to_owned(),
            }),
        ];
        for step in &steps {
            self.run::<Iam>(&call, step)?;
        }
        let key = wire::Operation::CreateAccessKey(wire::CreateAccessKeyInput {
            user_name: Some("admin".to_owned()),
        });
        self.access_key(&call, &key)
    }

    /// Sets an account's primary contact (a decoded `PutContactInformation`) as its root, as
    /// sign-up asks for it.
    pub fn put_contact_information(
        &self,
        origin: &Origin,
        account: &AccountId,
        op: &rampart_wire::account::Operation,
    ) -> Result<(), CoreError> {
        let call = Call {
            caller: root_caller(account.clone()),
            origin: origin.clone(),
        };
        self.run::<super::account::Account>(&call, op).map(drop)
    }

    /// An access key for the root user itself (automation and tests only).
    pub fn root_access_key(
        &self,
        origin: &Origin,
        account: &AccountId,
    ) -> Result<NewAccessKey, CoreError> {
        let call = Call {
            caller: root_caller(account.clone()),
            origin: origin.clone(),
        };
        let key = wire::Operation::CreateAccessKey(wire::CreateAccessKeyInput::default());
        self.access_key(&call, &key)
    }

    fn access_key(&self, call: &Call, op: &wire::Operation) -> Result<NewAccessKey, CoreError> {
        match self.run::<Iam>(call, op)? {
            wire::Output::CreateAccessKey(out) => Ok(NewAccessKey {
                id: out.access_key.access_key_id,
                secret: out.access_key.secret_access_key.expose().to_owned(),
            }),
            _ => Err(CoreError::Internal(
                "CreateAccessKey answered with another output".into(),
            )),
        }
    }

    /// Records an admin write with no API operation as the account's root.
    fn record_admin(&self, origin: &Origin, account: &AccountId, event_name: &str) {
        let call = Call {
            caller: root_caller(account.clone()),
            origin: origin.clone(),
        };
        self.record(AuditEvent::new(
            &call,
            "account",
            event_name,
            EventType::AwsApiCall,
            None,
        ));
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::engine::Engine;

    #[test]
    fn the_first_administrator_is_made_by_audited_root_calls() {
        let engine = Arc::new(Engine::in_memory());
        let requests = RequestPath::new(Arc::clone(&engine), None);
        let origin = Origin::cli(1_700_000_000);
        let account = requests
            .create_account(&origin, "root@example.com", "management", None)
            .unwrap();
        let key = requests.first_administrator(&origin, &account.id).unwrap();
        let state = engine.snapshot();
        assert!(key.id.starts_with("AKIA"));
        assert_eq!(
            state.access_key(&key.id).unwrap().record.user.as_deref(),
            Some("admin")
        );
        engine.flush_audit().unwrap();
        let events = engine.audit_events(&account.id, 0, 100).unwrap();
        let names: Vec<String> = events
            .iter()
            .rev()
            .map(|e| {
                let body: serde_json::Value = serde_json::from_str(&e.body).unwrap();
                assert_eq!(body["userIdentity"]["type"], "Root");
                assert_eq!(body["sourceIPAddress"], "AWS Internal");
                body["eventName"].as_str().unwrap().to_owned()
            })
            .collect();
        assert_eq!(
            names,
            [
                "CreateAccount",
                "CreateGroup",
                "AttachGroupPolicy",
                "CreateUser",
                "AddUserToGroup",
                "CreateAccessKey"
            ]
        );
    }
}
