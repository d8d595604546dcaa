//! Tags on IAM resources: AWS's limits, and the one implementation of every `Tag*`,
//! `Untag*` and `List*Tags` operation.
//!
//! A resource takes part by implementing [`Taggable`] in its own module (how to read its
//! tags, how to store them under its own update rules); the table at the bottom of this
//! file ties each resource's three wire inputs to it.

use rampart_wire::iam::{self as wire, Output};

use super::Cx;
use crate::engine::WriteTxn;
use crate::error::CoreError;
use crate::model::{
    AccountId, InstanceProfileRecord, ManagedPolicyRecord, MfaDeviceRecord, OidcProviderRecord,
    RoleRecord, SamlProviderRecord, ServerCertificateRecord, Tag, UserRecord,
};
use crate::ops::paging::page;
use crate::state::State;

/// Most tags an IAM entity may carry.
pub const TAGS_PER_ENTITY: usize = 50;

/// An IAM resource that carries tags, named by one string (a name, an ARN or a serial).
pub trait Taggable {
    /// The resource's tags, or the error its own `Get*` answers when it does not exist.
    fn tags(state: &State, account: &AccountId, id: &str) -> Result<Vec<Tag>, CoreError>;

    /// Stores the resource after `change` edits its tags, under the resource's own rules
    /// (a service-linked role or an AWS managed policy refuses).
    fn retag(
        txn: &mut WriteTxn<'_>,
        account: &AccountId,
        id: &str,
        change: impl FnOnce(&mut Vec<Tag>) -> Result<(), CoreError>,
    ) -> Result<(), CoreError>;
}

/// A `Tag*` input: the resource it names and the tags to add.
pub trait TagInput {
    /// The resource kind it tags.
    type Resource: Taggable;
    /// The name, ARN or serial of the resource.
    fn target(&self) -> &str;
    /// The tags to add or overwrite.
    fn tags(&self) -> &[wire::Tag];
}

/// An `Untag*` input: the resource it names and the keys to remove.
pub trait UntagInput {
    /// The resource kind it untags.
    type Resource: Taggable;
    /// The name, ARN or serial of the resource.
    fn target(&self) -> &str;
    /// The keys to remove.
    fn keys(&self) -> &[String];
}

/// A `List*Tags` input: the resource it names, the page asked for, and the output it gets.
pub trait ListTagsInput {
    /// The resource kind whose tags are listed.
    type Resource: Taggable;
    /// The name, ARN or serial of the resource.
    fn target(&self) -> &str;
    /// `Marker` and `MaxItems`.
    fn page(&self) -> (Option<&str>, Option<i32>);
    /// The operation's output for one page of tags.
    fn output(tags: Vec<wire::Tag>, is_truncated: bool, marker: Option<String>) -> Output;
}

/// `Tag*`: adds or overwrites tags, refusing repeated keys before looking the resource up.
pub fn tag<I: TagInput>(cx: &Cx<'_>, i: &I) -> Result<Output, CoreError> {
    let new = from_wire(Some(i.tags()))?;
    cx.write(|txn| I::Resource::retag(txn, cx.account(), i.target(), |tags| merge(tags, &new)))?;
    Ok(Output::Empty)
}

/// `Untag*`: removes tags by key; keys the resource does not carry are not an error.
pub fn untag<I: UntagInput>(cx: &Cx<'_>, i: &I) -> Result<Output, CoreError> {
    cx.write(|txn| {
        I::Resource::retag(txn, cx.account(), i.target(), |tags| {
            remove(tags, i.keys());
            Ok(())
        })
    })?;
    Ok(Output::Empty)
}

/// `List*Tags`: one page of the resource's tags, in key order.
pub fn list<I: ListTagsInput>(cx: &Cx<'_>, i: &I) -> Result<Output, CoreError> {
    let tags = I::Resource::tags(&cx.state(), cx.account(), i.target())?;
    let (marker, max_items) = i.page();
    // Tags keep their insertion order, so pages are keyed by position, not by tag key
    // (a key-ordered marker over an unsorted list would repeat or skip tags).
    let numbered: Vec<(usize, Tag)> = tags.into_iter().enumerate().collect();
    let (chunk, is_truncated, marker) =
        page(numbered, marker, max_items, |(n, _)| format!("{n:04}"))?;
    let chunk: Vec<Tag> = chunk.into_iter().map(|(_, tag)| tag).collect();
    Ok(I::output(to_wire(&chunk), is_truncated, marker))
}

/// The wire form of stored tags.
pub fn to_wire(tags: &[Tag]) -> Vec<wire::Tag> {
    tags.iter()
        .map(|t| wire::Tag {
            key: t.key.clone(),
            value: t.value.clone(),
        })
        .collect()
}

/// Stored tags from the wire, refusing keys that repeat ignoring case.
pub fn from_wire(tags: Option<&[wire::Tag]>) -> Result<Vec<Tag>, CoreError> {
    let mut out: Vec<Tag> = Vec::new();
    for tag in tags.unwrap_or_default() {
        if out.iter().any(|t| t.key.eq_ignore_ascii_case(&tag.key)) {
            return Err(CoreError::InvalidInput(
                "Duplicate tag keys found. Please note that Tag keys are case insensitive."
                    .to_owned(),
            ));
        }
        out.push(Tag {
            key: tag.key.clone(),
            value: tag.value.clone(),
        });
    }
    Ok(out)
}

/// Adds or overwrites `new` tags (keys compare ignoring case) within the limit.
pub fn merge(existing: &mut Vec<Tag>, new: &[Tag]) -> Result<(), CoreError> {
    for tag in new {
        match existing
            .iter_mut()
            .find(|t| t.key.eq_ignore_ascii_case(&tag.key))
        {
            Some(slot) => slot.value = tag.value.clone(),
            None => existing.push(tag.clone()),
        }
    }
    if existing.len() > TAGS_PER_ENTITY {
        return Err(CoreError::LimitExceeded(
            "The number of tags has reached the maximum limit.".to_owned(),
        ));
    }
    Ok(())
}

/// Removes the tags named by `keys` (ignoring case); absent keys are not an error.
pub fn remove(existing: &mut Vec<Tag>, keys: &[String]) {
    existing.retain(|t| !keys.iter().any(|k| k.eq_ignore_ascii_case(&t.key)));
}

/// Ties one resource's `Tag*`, `Untag*` and `List*Tags` inputs (and the field that names
/// the resource) to its [`Taggable`] implementation.
macro_rules! tag_operations {
    ($($resource:ty: $tag:ident, $untag:ident, $list:ident => $output:ident by $field:ident;)*) => {$(
        impl TagInput for wire::$tag {
            type Resource = $resource;
            fn target(&self) -> &str {
                &self.$field
            }
            fn tags(&self) -> &[wire::Tag] {
                &self.tags
            }
        }
        impl UntagInput for wire::$untag {
            type Resource = $resource;
            fn target(&self) -> &str {
                &self.$field
            }
            fn keys(&self) -> &[String] {
                &self.tag_keys
            }
        }
        impl ListTagsInput for wire::$list {
            type Resource = $resource;
            fn target(&self) -> &str {
                &self.$field
            }
            fn page(&self) -> (Option<&str>, Option<i32>) {
                (self.marker.as_deref(), self.max_items)
            }
            fn output(tags: Vec<wire::Tag>, is_truncated: bool, marker: Option<String>) -> Output {
                wire::$output { tags, is_truncated, marker }.into()
            }
        }
    )*};
}

tag_operations! {
    UserRecord: TagUserInput, UntagUserInput, ListUserTagsInput
        => ListUserTagsOutput by user_name;
    RoleRecord: TagRoleInput, UntagRoleInput, ListRoleTagsInput
        => ListRoleTagsOutput by role_name;
    ManagedPolicyRecord: TagPolicyInput, UntagPolicyInput, ListPolicyTagsInput
        => ListPolicyTagsOutput by policy_arn;
    InstanceProfileRecord: TagInstanceProfileInput, UntagInstanceProfileInput,
        ListInstanceProfileTagsInput => ListInstanceProfileTagsOutput by instance_profile_name;
    MfaDeviceRecord: TagMfaDeviceInput, UntagMfaDeviceInput, ListMfaDeviceTagsInput
        => ListMfaDeviceTagsOutput by serial_number;
    OidcProviderRecord: TagOpenIdConnectProviderInput, UntagOpenIdConnectProviderInput,
        ListOpenIdConnectProviderTagsInput => ListOpenIdConnectProviderTagsOutput
        by open_id_connect_provider_arn;
    SamlProviderRecord: TagSamlProviderInput, UntagSamlProviderInput, ListSamlProviderTagsInput
        => ListSamlProviderTagsOutput by saml_provider_arn;
    ServerCertificateRecord: TagServerCertificateInput, UntagServerCertificateInput,
        ListServerCertificateTagsInput => ListServerCertificateTagsOutput
        by server_certificate_name;
}

#[cfg(test)]
mod tests {
    use rampart_wire::iam::{self as wire, Operation as Op, Output};

    use super::super::fixture::Fixture;
    use super::TAGS_PER_ENTITY;
    use crate::error::CoreError;

    fn tag(key: &str, value: &str) -> wire::Tag {
        wire::Tag {
            key: key.to_owned(),
            value: value.to_owned(),
        }
    }

    fn tag_user(f: &Fixture, tags: Vec<wire::Tag>) -> Result<Output, CoreError> {
        f.run(Op::TagUser(wire::TagUserInput {
            user_name: "alice".into(),
            tags,
        }))
    }

    fn user_tags(
        f: &Fixture,
        marker: Option<String>,
        max_items: Option<i32>,
    ) -> wire::ListUserTagsOutput {
        let out = f
            .run(Op::ListUserTags(wire::ListUserTagsInput {
                user_name: "alice".into(),
                marker,
                max_items,
            }))
            .unwrap();
        let Output::ListUserTags(out) = out else {
            panic!("not a ListUserTags output: {out:?}");
        };
        out
    }

    #[test]
    fn tagging_past_fifty_tags_is_limit_exceeded_and_changes_nothing() {
        let f = Fixture::new();
        f.user("alice");
        let fifty = (0..TAGS_PER_ENTITY)
            .map(|n| tag(&format!("k{n:02}"), "v"))
            .collect();
        tag_user(&f, fifty).unwrap();
        // Overwriting an existing key (ignoring case) stays within the limit.
        tag_user(&f, vec![tag("K00", "w")]).unwrap();
        let err = tag_user(&f, vec![tag("one-more", "v")]).unwrap_err();
        assert!(
            matches!(&err, CoreError::LimitExceeded(m) if m == "The number of tags has reached the maximum limit."),
            "{err:?}"
        );
        let state = f.state();
        let tags = &state.user(f.account(), "alice").unwrap().record.tags;
        assert_eq!(tags.len(), TAGS_PER_ENTITY);
        assert_eq!((tags[0].key.as_str(), tags[0].value.as_str()), ("k00", "w"));
    }

    #[test]
    fn repeated_keys_are_refused_before_the_resource_is_looked_up() {
        let f = Fixture::new();
        let err = tag_user(&f, vec![tag("a", "1"), tag("A", "2")]).unwrap_err();
        assert!(matches!(err, CoreError::InvalidInput(_)), "{err:?}");
        let err = tag_user(&f, vec![tag("a", "1")]).unwrap_err();
        assert!(matches!(err, CoreError::NoSuchEntity(_)), "{err:?}");
    }

    #[test]
    fn untag_ignores_keys_the_resource_does_not_carry() {
        let f = Fixture::new();
        f.user("alice");
        tag_user(&f, vec![tag("team", "a"), tag("env", "b")]).unwrap();
        f.run(Op::UntagUser(wire::UntagUserInput {
            user_name: "alice".into(),
            tag_keys: vec!["TEAM".into(), "missing".into()],
        }))
        .unwrap();
        assert_eq!(user_tags(&f, None, None).tags, vec![tag("env", "b")]);
    }

    #[test]
    fn list_tags_pages_through_the_tags() {
        let f = Fixture::new();
        f.user("alice");
        tag_user(&f, vec![tag("a", "1"), tag("b", "2"), tag("c", "3")]).unwrap();
        let first = user_tags(&f, None, Some(2));
        assert!(first.is_truncated);
        assert_eq!(first.tags, vec![tag("a", "1"), tag("b", "2")]);
        let rest = user_tags(&f, first.marker, Some(2));
        assert!(!rest.is_truncated);
        assert_eq!(rest.tags, vec![tag("c", "3")]);
    }

    #[test]
    fn list_tags_pages_in_insertion_order_without_repeating() {
        let f = Fixture::new();
        f.user("alice");
        tag_user(&f, vec![tag("c", "1"), tag("a", "2"), tag("b", "3")]).unwrap();
        let first = user_tags(&f, None, Some(2));
        assert_eq!(first.tags, vec![tag("c", "1"), tag("a", "2")]);
        let rest = user_tags(&f, first.marker, Some(2));
        assert_eq!(rest.tags, vec![tag("b", "3")]);
        assert!(!rest.is_truncated);
    }

    #[test]
    fn each_taggable_resource_round_trips_its_tags() {
        let f = Fixture::new();
        f.role("app");
        f.run(Op::CreateInstanceProfile(
            wire::CreateInstanceProfileInput {
                instance_profile_name: "web".into(),
                ..Default::default()
            },
        ))
        .unwrap();
        let t = || vec![tag("team", "a")];
        f.run(Op::TagRole(wire::TagRoleInput {
            role_name: "app".into(),
            tags: t(),
        }))
        .unwrap();
        f.run(Op::TagInstanceProfile(wire::TagInstanceProfileInput {
            instance_profile_name: "web".into(),
            tags: t(),
        }))
        .unwrap();
        let roles = f
            .run(Op::ListRoleTags(wire::ListRoleTagsInput {
                role_name: "app".into(),
                ..Default::default()
            }))
            .unwrap();
        assert!(
            matches!(roles, Output::ListRoleTags(ref o) if o.tags == t()),
            "{roles:?}"
        );
        f.run(Op::UntagInstanceProfile(wire::UntagInstanceProfileInput {
            instance_profile_name: "web".into(),
            tag_keys: vec!["team".into()],
        }))
        .unwrap();
        let profiles = f
            .run(Op::ListInstanceProfileTags(
                wire::ListInstanceProfileTagsInput {
                    instance_profile_name: "web".into(),
                    ..Default::default()
                },
            ))
            .unwrap();
        assert!(
            matches!(profiles, Output::ListInstanceProfileTags(ref o) if o.tags.is_empty()),
            "{profiles:?}"
        );
    }

    #[test]
    fn aws_managed_policies_list_their_tags_but_refuse_changes() {
        let f = Fixture::new();
        let arn = "arn:aws:iam::aws:policy/AdministratorAccess";
        let err = f
            .run(Op::TagPolicy(wire::TagPolicyInput {
                policy_arn: arn.into(),
                tags: vec![tag("a", "1")],
            }))
            .unwrap_err();
        assert!(matches!(err, CoreError::UnmodifiableEntity(_)), "{err:?}");
        let listed = f.run(Op::ListPolicyTags(wire::ListPolicyTagsInput {
            policy_arn: arn.into(),
            ..Default::default()
        }));
        assert!(
            matches!(listed, Ok(Output::ListPolicyTags(_))),
            "{listed:?}"
        );
    }

    #[test]
    fn service_linked_roles_refuse_tags() {
        let f = Fixture::new();
        let out = f
            .run(Op::CreateServiceLinkedRole(
                wire::CreateServiceLinkedRoleInput {
                    aws_service_name: "elasticbeanstalk.amazonaws.com".into(),
                    ..Default::default()
                },
            ))
            .unwrap();
        let Output::CreateServiceLinkedRole(out) = out else {
            panic!("not a CreateServiceLinkedRole output: {out:?}");
        };
        let err = f
            .run(Op::TagRole(wire::TagRoleInput {
                role_name: out.role.role_name,
                tags: vec![tag("a", "1")],
            }))
            .unwrap_err();
        assert!(matches!(err, CoreError::UnmodifiableEntity(_)), "{err:?}");
    }
}
