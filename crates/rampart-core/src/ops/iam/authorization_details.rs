//! `GetAccountAuthorizationDetails`: every user, group and role of the account and every
//! managed policy it uses, with their documents, filtered by entity type and paged as one
//! list (users, then groups, roles and policies).

use rampart_wire::Timestamp;
use rampart_wire::iam::{self as wire, EntityType, Output};
use rampart_wire::xml::PolicyDocument;

use super::instance_profiles::{self, wire_instance_profile};
use super::policies::{self, attached_list, wire_policy};
use super::roles::wire_role;
use super::users::wire_user;
use super::{Cx, policy_versions, tags};
use crate::error::CoreError;
use crate::model::AccountId;
use crate::ops::paging::page;
use crate::state::State;

/// One entry of the combined list, keyed for paging.
enum Detail {
    User(wire::UserDetail),
    Group(wire::GroupDetail),
    Role(wire::RoleDetail),
    Policy(wire::ManagedPolicyDetail),
}

type Keyed = Vec<(String, Detail)>;

/// `GetAccountAuthorizationDetails`.
pub fn get_account_authorization_details(
    cx: &Cx<'_>,
    i: &wire::GetAccountAuthorizationDetailsInput,
) -> Result<Output, CoreError> {
    let state = cx.state();
    let account = cx.account();
    let filter = i.filter.clone().unwrap_or_default();
    let wants = |t: EntityType| filter.is_empty() || filter.contains(&t);
    let mut entries: Keyed = Vec::new();
    if wants(EntityType::User) {
        user_details(&state, account, &mut entries);
    }
    if wants(EntityType::Group) {
        group_details(&state, account, &mut entries);
    }
    if wants(EntityType::Role) {
        role_details(&state, account, &mut entries);
    }
    let (local, aws) = (
        wants(EntityType::LocalManagedPolicy),
        wants(EntityType::AwsManagedPolicy),
    );
    policy_details(&state, account, local, aws, &mut entries);
    let (chunk, is_truncated, marker) =
        page(entries, i.marker.as_deref(), i.max_items, |(key, _)| {
            key.clone()
        })?;
    let mut out = wire::GetAccountAuthorizationDetailsOutput {
        is_truncated,
        marker,
        ..Default::default()
    };
    for (_, detail) in chunk {
        match detail {
            Detail::User(d) => out.user_detail_list.push(d),
            Detail::Group(d) => out.group_detail_list.push(d),
            Detail::Role(d) => out.role_detail_list.push(d),
            Detail::Policy(d) => out.policies.push(d),
        }
    }
    Ok(out.into())
}

fn inline_details(list: &[(String, String)]) -> Vec<wire::PolicyDetail> {
    list.iter()
        .map(|(name, text)| wire::PolicyDetail {
            policy_name: name.clone(),
            policy_document: PolicyDocument(text.clone()),
        })
        .collect()
}

fn user_details(state: &State, account: &AccountId, entries: &mut Keyed) {
    for u in state.users(account) {
        let r = &u.record;
        let detail = wire::UserDetail {
            path: r.path.clone(),
            user_name: r.name.clone(),
            user_id: r.id.clone(),
            arn: r.arn(),
            create_date: Timestamp(r.created),
            user_policy_list: inline_details(&r.inline_policies),
            group_list: r.groups.clone(),
            attached_managed_policies: attached_list(state, &r.attached_policies, None),
            permissions_boundary: wire_user(r).permissions_boundary,
            tags: tags::to_wire(&r.tags),
        };
        let key = format!("1{}", r.name.to_ascii_lowercase());
        entries.push((key, Detail::User(detail)));
    }
}

fn group_details(state: &State, account: &AccountId, entries: &mut Keyed) {
    for g in state.groups(account) {
        let r = &g.record;
        let detail = wire::GroupDetail {
            path: r.path.clone(),
            group_name: r.name.clone(),
            group_id: r.id.clone(),
            arn: r.arn(),
            create_date: Timestamp(r.created),
            group_policy_list: inline_details(&r.inline_policies),
            attached_managed_policies: attached_list(state, &r.attached_policies, None),
        };
        let key = format!("2{}", r.name.to_ascii_lowercase());
        entries.push((key, Detail::Group(detail)));
    }
}

fn role_details(state: &State, account: &AccountId, entries: &mut Keyed) {
    for role in state.roles(account) {
        let r = &role.record;
        let wired = wire_role(r);
        let detail = wire::RoleDetail {
            path: r.path.clone(),
            role_name: r.name.clone(),
            role_id: r.id.clone(),
            arn: r.arn(),
            create_date: Timestamp(r.created),
            assume_role_policy_document: wired.assume_role_policy_document,
            instance_profile_list: instance_profiles::for_role(state, account, &r.name)
                .map(|p| wire_instance_profile(state, p))
                .collect(),
            role_policy_list: inline_details(&r.inline_policies),
            attached_managed_policies: attached_list(state, &r.attached_policies, None),
            permissions_boundary: wired.permissions_boundary,
            tags: tags::to_wire(&r.tags),
            role_last_used: wired.role_last_used,
        };
        let key = format!("3{}", r.name.to_ascii_lowercase());
        entries.push((key, Detail::Role(detail)));
    }
}

/// The account's own policies (when `local`) and the AWS managed policies it uses (when
/// `aws`), with every version's document.
fn policy_details(state: &State, account: &AccountId, local: bool, aws: bool, entries: &mut Keyed) {
    for p in state.policies() {
        let r = &p.record;
        let is_local = r.account.as_ref() == Some(account);
        let arn = r.arn();
        // AWS managed policies appear only when something in the account uses them.
        let in_use = is_local || policies::attachment_count(state, account, &arn) > 0;
        if !in_use || (is_local && !local) || (!is_local && (r.account.is_some() || !aws)) {
            continue;
        }
        let summary = wire_policy(state, account, r);
        let detail = wire::ManagedPolicyDetail {
            policy_name: r.name.clone(),
            policy_id: r.id.clone(),
            arn: arn.clone(),
            path: r.path.clone(),
            default_version_id: r.default_version.clone(),
            attachment_count: summary.attachment_count,
            permissions_boundary_usage_count: summary.permissions_boundary_usage_count,
            is_attachable: true,
            description: r.description.clone(),
            create_date: Timestamp(r.created),
            update_date: Timestamp(r.updated),
            policy_version_list: (r.versions.iter())
                .map(|v| policy_versions::wire_version(r, v, true))
                .collect(),
        };
        entries.push((format!("4{arn}"), Detail::Policy(detail)));
    }
}
