//! The IAM handlers' unit-test fixture: an in-memory engine holding one account, driven
//! through [`execute`](super::execute::execute) as its root user or one of its IAM users.

use rampart_wire::iam::{self as wire, Operation as Op, Output};

use super::execute::execute;
use crate::auth::{Caller, Principal};
use crate::engine::Engine;
use crate::error::CoreError;
use crate::model::AccountId;
use crate::ops::signup;
use crate::state::State;

/// The clock every fixture call runs at.
pub const NOW: i64 = 1_700_000_000;

/// An engine with one account, and its root caller.
pub struct Fixture {
    pub engine: Engine,
    pub root: Caller,
}

impl Fixture {
    pub fn new() -> Fixture {
        Fixture::with_email("root@example.com")
    }

    /// A fixture whose account's root has `email` (one engine per fixture).
    pub fn with_email(email: &str) -> Fixture {
        let engine = Engine::in_memory();
        let account = engine
            .write(|txn| signup::create_account(txn, email, "test", None, NOW))
            .unwrap();
        let root = Caller {
            account: account.id,
            principal: Principal::Root,
            access_key_id: String::new(),
            session: None,
        };
        Fixture { engine, root }
    }

    pub fn account(&self) -> &AccountId {
        &self.root.account
    }

    pub fn state(&self) -> std::sync::Arc<State> {
        self.engine.snapshot()
    }

    /// Runs `op` as the account's root user.
    pub fn run(&self, op: Op) -> Result<Output, CoreError> {
        execute(&self.engine, &self.root, &op, NOW)
    }

    /// Runs `op` as the IAM user `name`.
    pub fn run_as(&self, name: &str, op: Op) -> Result<Output, CoreError> {
        let user = self
            .state()
            .user(self.account(), name)
            .unwrap()
            .record
            .clone();
        let caller = Caller {
            account: self.account().clone(),
            principal: Principal::User {
                name: user.name.clone(),
                id: user.id.clone(),
                arn: user.arn(),
            },
            access_key_id: String::new(),
            session: None,
        };
        execute(&self.engine, &caller, &op, NOW)
    }

    /// Creates the user `name` as root.
    pub fn user(&self, name: &str) {
        self.run(Op::CreateUser(wire::CreateUserInput {
            user_name: name.to_owned(),
            ..Default::default()
        }))
        .unwrap();
    }

    /// Creates the group `name` as root.
    pub fn group(&self, name: &str) {
        self.run(Op::CreateGroup(wire::CreateGroupInput {
            group_name: name.to_owned(),
            ..Default::default()
        }))
        .unwrap();
    }

    /// Creates the role `name` (trusting the account) as root.
    pub fn role(&self, name: &str) {
        let trust = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{}:root"}},"Action":"sts:AssumeRole"}}]}}"#,
            self.account()
        );
        self.run(Op::CreateRole(wire::CreateRoleInput {
            role_name: name.to_owned(),
            assume_role_policy_document: trust,
            ..Default::default()
        }))
        .unwrap();
    }
}

/// A policy document allowing every action.
pub const ALLOW_ALL: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
