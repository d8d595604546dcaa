//! Service-linked roles: roles an AWS service owns, at `/aws-service-role/<service>/`,
//! trusting only that service and protected from changes by account principals;
//! `CreateServiceLinkedRole`, `DeleteServiceLinkedRole` and its deletion status.

use crate::engine::WriteTxn;
use crate::error::CoreError;
use crate::model::{AccountId, RoleRecord};

use rampart_wire::iam::{self as wire, Output};

use super::Cx;
use super::roles::{self, NewRole};
pub use crate::arns::service_linked_role_name as role_name;

/// The path prefix every service-linked role lives under.
pub const PATH_PREFIX: &str = "/aws-service-role/";

/// Whether a role is service-linked.
pub fn is_service_linked(role: &RoleRecord) -> bool {
    role.path.starts_with(PATH_PREFIX)
}

/// The error for changing a service-linked role.
pub fn protected(name: &str) -> CoreError {
    CoreError::UnmodifiableEntity(format!(
        "Cannot perform the operation on the protected role '{name}' - this role is only modifiable by AWS"
    ))
}

/// `CreateServiceLinkedRole`.
pub fn create(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    service: &str,
    description: Option<&str>,
    suffix: Option<&str>,
    now: i64,
) -> Result<RoleRecord, CoreError> {
    let name = role_name(service, suffix)?;
    if txn.state().role(account, &name).is_some() {
        return Err(CoreError::InvalidInput(format!(
            "Service role name {name} has been taken in this account, please try a different suffix."
        )));
    }
    let trust = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Service":"{service}"}},"Action":"sts:AssumeRole"}}]}}"#
    );
    let path = format!("{PATH_PREFIX}{service}/");
    let new = NewRole {
        name: &name,
        path: Some(&path),
        trust_policy: &trust,
        description,
        max_session_duration: None,
        permissions_boundary: None,
        tags: vec![],
    };
    roles::create(txn, account, &new, now)
}

/// `DeleteServiceLinkedRole`: deletes at once and returns the deletion task id, which
/// encodes the role so `GetServiceLinkedRoleDeletionStatus` can answer later.
pub fn delete(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    name: &str,
) -> Result<String, CoreError> {
    let role = roles::get(txn.state(), account, name)?.record.clone();
    if !is_service_linked(&role) {
        return Err(CoreError::InvalidInput(format!(
            "Role {name} is not a service-linked role."
        )));
    }
    if !role.attached_policies.is_empty() || !role.inline_policies.is_empty() {
        // AWS detaches the service's own policies as part of the deletion task.
        let mut stripped = role.clone();
        stripped.attached_policies.clear();
        stripped.inline_policies.clear();
        txn.put(&stripped)?;
    }
    roles::delete_any(txn, account, name, true)?;
    Ok(format!("task{}{}/{}", role.path, role.name, role.id))
}

/// `GetServiceLinkedRoleDeletionStatus`: succeeded once the role is gone.
pub fn deletion_succeeded(
    state: &crate::state::State,
    account: &AccountId,
    task: &str,
) -> Result<bool, CoreError> {
    let rest = task
        .strip_prefix(&format!("task{PATH_PREFIX}"))
        .ok_or_else(|| no_task(task))?;
    let mut parts = rest.rsplitn(3, '/');
    let (_id, name) = (
        parts.next().ok_or_else(|| no_task(task))?,
        parts.next().ok_or_else(|| no_task(task))?,
    );
    Ok(state.role(account, name).is_none())
}

fn no_task(task: &str) -> CoreError {
    CoreError::NoSuchEntity(format!("Deletion task {task} cannot be found."))
}

/// `CreateServiceLinkedRole`.
pub fn create_service_linked_role(
    cx: &Cx<'_>,
    i: &wire::CreateServiceLinkedRoleInput,
) -> Result<Output, CoreError> {
    let record = cx.write(|txn| {
        let (description, suffix) = (i.description.as_deref(), i.custom_suffix.as_deref());
        create(
            txn,
            cx.account(),
            &i.aws_service_name,
            description,
            suffix,
            cx.now,
        )
    })?;
    let role = roles::wire_role(&record);
    Ok(wire::CreateServiceLinkedRoleOutput { role }.into())
}

/// `DeleteServiceLinkedRole`: answers the id of the (already finished) deletion task.
pub fn delete_service_linked_role(
    cx: &Cx<'_>,
    i: &wire::DeleteServiceLinkedRoleInput,
) -> Result<Output, CoreError> {
    let deletion_task_id = cx.write(|txn| delete(txn, cx.account(), &i.role_name))?;
    Ok(wire::DeleteServiceLinkedRoleOutput { deletion_task_id }.into())
}

/// `GetServiceLinkedRoleDeletionStatus`.
pub fn get_service_linked_role_deletion_status(
    cx: &Cx<'_>,
    i: &wire::GetServiceLinkedRoleDeletionStatusInput,
) -> Result<Output, CoreError> {
    let status = if deletion_succeeded(&cx.state(), cx.account(), &i.deletion_task_id)? {
        wire::DeletionTaskStatus::Succeeded
    } else {
        wire::DeletionTaskStatus::InProgress
    };
    Ok(wire::GetServiceLinkedRoleDeletionStatusOutput {
        status,
        reason: None,
    }
    .into())
}
