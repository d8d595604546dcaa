//! Tags on every taggable Organizations resource — the root, OUs, member accounts, the
//! organization's own policies, its delegation policy and the responsibility transfers it takes
//! part in — through one path: [`Taggable`] finds the resource a `ResourceId` names and stores
//! it back, so `TagResource`, `UntagResource` and `ListTagsForResource` are written once for
//! all of them. Also the wire form of tags given
//! at creation (`CreateOrganizationalUnit`, `CreateAccount`, `CreatePolicy`).

use rampart_wire::organizations::{self as wire, Output};

use super::attachments::{self, Target};
use super::{Execution, page, put_member, put_org, put_unit};
use crate::engine::WriteTxn;
use crate::error::{ConstraintViolationReason, CoreError};
use crate::model::{
    OrgAccountRecord, OrgPolicyRecord, OrgResourcePolicyRecord, OrgUnitRecord, OrganizationRecord,
    ResponsibilityTransferRecord, Tag,
};
use crate::state::State;

/// Most tags per root, OU, account or policy.
const MAX_TAGS: usize = 50;

/// `TagResource`: adds tags, replacing the values of keys already set.
pub fn tag_resource(
    cx: &Execution<'_>,
    input: &wire::TagResourceInput,
) -> Result<Output, CoreError> {
    let new = from_wire(Some(&input.tags))?;
    edit(cx, &input.resource_id, |tags| merge(tags, &new))?;
    Ok(Output::Empty)
}

/// `UntagResource`: removes tags by key; absent keys are ignored.
pub fn untag_resource(
    cx: &Execution<'_>,
    input: &wire::UntagResourceInput,
) -> Result<Output, CoreError> {
    edit(cx, &input.resource_id, |tags| {
        tags.retain(|t| !input.tag_keys.contains(&t.key));
    })?;
    Ok(Output::Empty)
}

/// `ListTagsForResource`, by the management account or a delegated administrator.
pub fn list_tags_for_resource(
    cx: &Execution<'_>,
    input: &wire::ListTagsForResourceInput,
) -> Result<Output, CoreError> {
    let ctx = cx.reader()?;
    let resource = Taggable::find(cx.state(), &ctx.org, &input.resource_id)?;
    let all = resource.tags().to_vec();
    let (list, next_token) = page(all, input.next_token.as_deref(), None, |t| t.key.clone())?;
    Ok(wire::ListTagsForResourceOutput {
        tags: to_wire(&list),
        next_token,
    }
    .into())
}

/// Stored tags from the wire, at most [`MAX_TAGS`].
pub fn from_wire(tags: Option<&[wire::Tag]>) -> Result<Vec<Tag>, CoreError> {
    let tags = tags.unwrap_or_default();
    check_limit(tags.len())?;
    Ok(tags
        .iter()
        .map(|t| Tag {
            key: t.key.clone(),
            value: t.value.clone(),
        })
        .collect())
}

/// The wire form.
pub fn to_wire(tags: &[Tag]) -> Vec<wire::Tag> {
    tags.iter()
        .map(|t| wire::Tag {
            key: t.key.clone(),
            value: t.value.clone(),
        })
        .collect()
}

/// A resource that carries tags, as read from the state (a copy to change and store).
#[derive(Debug, Clone)]
enum Taggable {
    /// The root: its tags live on the organization record.
    Root(OrganizationRecord),
    /// An OU.
    Ou(OrgUnitRecord),
    /// A member account: its tags live on the membership.
    Account(OrgAccountRecord),
    /// A customer policy of the organization (AWS-managed ones have no tags).
    Policy(OrgPolicyRecord),
    /// The organization's delegation policy (`rp-…`).
    ResourcePolicy(OrgResourcePolicyRecord),
    /// A responsibility transfer the organization is a side of (`rt-…`).
    Transfer(ResponsibilityTransferRecord),
}

impl Taggable {
    /// The resource `id` names in `org` (`p-…` is a policy, anything else a target), or
    /// `TargetNotFoundException`.
    fn find(state: &State, org: &OrganizationRecord, id: &str) -> Result<Taggable, CoreError> {
        if id.starts_with("rp-") {
            return match state.org_resource_policy(&org.id) {
                Some(p) if p.record.id == id => Ok(Taggable::ResourcePolicy(p.record.clone())),
                _ => Err(CoreError::TargetNotFound),
            };
        }
        if id.starts_with("rt-") {
            return match state.responsibility_transfer(id) {
                Some(t) if t.source == org.management || t.target == org.management => {
                    Ok(Taggable::Transfer(ResponsibilityTransferRecord::clone(t)))
                }
                _ => Err(CoreError::TargetNotFound),
            };
        }
        if id.starts_with("p-") {
            return match state.org_policy(id) {
                Some(p) if p.record.org.as_deref() == Some(org.id.as_str()) => {
                    Ok(Taggable::Policy(p.record.clone()))
                }
                _ => Err(CoreError::TargetNotFound),
            };
        }
        Ok(
            match attachments::target(state, org, id).map_err(|_| CoreError::TargetNotFound)? {
                Target::Root => Taggable::Root(org.clone()),
                Target::Ou(unit) => Taggable::Ou(unit),
                Target::Account(member) => Taggable::Account(member),
            },
        )
    }

    fn tags(&self) -> &[Tag] {
        match self {
            Taggable::Root(org) => &org.root_tags,
            Taggable::Ou(unit) => &unit.tags,
            Taggable::Account(member) => &member.tags,
            Taggable::Policy(policy) => &policy.tags,
            Taggable::ResourcePolicy(policy) => &policy.tags,
            Taggable::Transfer(transfer) => &transfer.tags,
        }
    }

    fn tags_mut(&mut self) -> &mut Vec<Tag> {
        match self {
            Taggable::Root(org) => &mut org.root_tags,
            Taggable::Ou(unit) => &mut unit.tags,
            Taggable::Account(member) => &mut member.tags,
            Taggable::Policy(policy) => &mut policy.tags,
            Taggable::ResourcePolicy(policy) => &mut policy.tags,
            Taggable::Transfer(transfer) => &mut transfer.tags,
        }
    }

    fn store(&self, txn: &mut WriteTxn<'_>) -> Result<(), CoreError> {
        match self {
            Taggable::Root(org) => put_org(txn, org),
            Taggable::Ou(unit) => put_unit(txn, unit),
            Taggable::Account(member) => put_member(txn, member),
            Taggable::Policy(policy) => txn.put(policy),
            Taggable::ResourcePolicy(policy) => txn.put(policy),
            Taggable::Transfer(transfer) => txn.put(transfer),
        }
    }
}

/// Changes the tags of the resource `id` names, as the management account, within the limit.
fn edit(cx: &Execution<'_>, id: &str, change: impl Fn(&mut Vec<Tag>)) -> Result<(), CoreError> {
    cx.write_in_org(|txn, ctx| {
        ctx.require_policy_manager()?;
        let mut resource = Taggable::find(txn.state(), &ctx.org, id)?;
        change(resource.tags_mut());
        check_limit(resource.tags().len())?;
        resource.store(txn)
    })
}

fn check_limit(count: usize) -> Result<(), CoreError> {
    if count > MAX_TAGS {
        return Err(CoreError::ConstraintViolation(
            ConstraintViolationReason::MaxTagLimitExceeded,
        ));
    }
    Ok(())
}

/// Adds or replaces tags by key.
fn merge(existing: &mut Vec<Tag>, new: &[Tag]) {
    for tag in new {
        match existing.iter_mut().find(|t| t.key == tag.key) {
            Some(slot) => slot.value.clone_from(&tag.value),
            None => existing.push(tag.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use rampart_wire::ErrorCode;
    use serde_json::json;

    use super::super::testing::{failure, member, organization, run};
    use super::*;
    use crate::engine::Engine;
    use crate::model::AccountId;

    fn tags_of(engine: &Engine, management: &AccountId, id: &str) -> Vec<(String, String)> {
        match run(
            engine,
            management,
            "ListTagsForResource",
            json!({"ResourceId": id}),
        )
        .unwrap()
        {
            Output::ListTagsForResource(out) => {
                out.tags.into_iter().map(|t| (t.key, t.value)).collect()
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn root_ou_account_and_policy_are_tagged_through_one_path() {
        let (engine, management) = organization();
        let dev = member(&engine, &management, "dev@example.com");
        let root = engine
            .snapshot()
            .org_of(&management)
            .unwrap()
            .0
            .root_id
            .clone();
        let ou = match run(
            &engine,
            &management,
            "CreateOrganizationalUnit",
            json!({"ParentId": root, "Name": "Team"}),
        )
        .unwrap()
        {
            Output::CreateOrganizationalUnit(out) => out.organizational_unit.id,
            other => panic!("unexpected {other:?}"),
        };
        let content = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
        let policy = match run(&engine, &management, "CreatePolicy", json!({"Name": "p", "Description": "d", "Type": "SERVICE_CONTROL_POLICY", "Content": content})).unwrap() {
            Output::CreatePolicy(out) => out.policy.policy_summary.id,
            other => panic!("unexpected {other:?}"),
        };
        for id in [root.as_str(), ou.as_str(), dev.as_str(), policy.as_str()] {
            let tag = json!({"ResourceId": id, "Tags": [{"Key": "env", "Value": "dev"}, {"Key": "team", "Value": "a"}]});
            run(&engine, &management, "TagResource", tag).unwrap();
            let retag = json!({"ResourceId": id, "Tags": [{"Key": "env", "Value": "prod"}]});
            run(&engine, &management, "TagResource", retag).unwrap();
            let untag = json!({"ResourceId": id, "TagKeys": ["team", "absent"]});
            run(&engine, &management, "UntagResource", untag).unwrap();
            assert_eq!(
                tags_of(&engine, &management, id),
                [("env".to_owned(), "prod".to_owned())],
                "{id}"
            );
        }
    }

    #[test]
    fn fifty_tags_is_the_limit() {
        let (engine, management) = organization();
        let dev = member(&engine, &management, "dev@example.com");
        let tags: Vec<_> = (0..50)
            .map(|n| json!({"Key": format!("k{n}"), "Value": "v"}))
            .collect();
        run(
            &engine,
            &management,
            "TagResource",
            json!({"ResourceId": dev.as_str(), "Tags": tags}),
        )
        .unwrap();
        let one_more =
            json!({"ResourceId": dev.as_str(), "Tags": [{"Key": "extra", "Value": "v"}]});
        let got = failure(run(&engine, &management, "TagResource", one_more));
        assert_eq!(
            got,
            (
                ErrorCode::ConstraintViolationException,
                Some("MAX_TAG_LIMIT_EXCEEDED")
            )
        );
    }

    #[test]
    fn unknown_resources_are_target_not_found_and_members_may_not_tag() {
        let (engine, management) = organization();
        let dev = member(&engine, &management, "dev@example.com");
        for id in ["p-abcdefgh", "ou-abcd-12345678", "999999999999"] {
            let got = failure(run(
                &engine,
                &management,
                "ListTagsForResource",
                json!({"ResourceId": id}),
            ));
            assert_eq!(got.0, ErrorCode::TargetNotFoundException, "{id}");
        }
        let tag = json!({"ResourceId": dev.as_str(), "Tags": [{"Key": "k", "Value": "v"}]});
        let got = failure(run(&engine, &dev, "TagResource", tag));
        assert_eq!(got.0, ErrorCode::AccessDenied);
    }
}
