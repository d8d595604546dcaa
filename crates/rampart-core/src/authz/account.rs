//! The Account table: each Account API operation's action (`account:` + its name), resource
//! ARN (`account` in the caller's account, or the member account named by `AccountId`) and
//! request condition keys (`account:AlternateContactTypes`, `account:TargetRegion`,
//! `account:EmailTargetDomain`).
//!
//! Needs no state; decides nothing.

use rampart_wire::account as wire;

use super::Access;
use crate::auth::Caller;
use crate::model::PARTITION;

/// The action, resource and keys of an Account API operation.
pub fn access(caller: &Caller, op: &wire::Operation) -> Access {
    use wire::Operation as Op;
    let resource = |account_id: Option<&str>| match account_id {
        Some(id) => format!("arn:{PARTITION}:account::{}:account/{id}", caller.account),
        None => format!("arn:{PARTITION}:account::{}:account", caller.account),
    };
    let action = format!("account:{}", op.name());
    let with_type = |a: Access, t: &str| a.with_key("account:AlternateContactTypes", t.to_owned());
    match op {
        Op::PutAlternateContact(i) => with_type(
            Access::new(&action, resource(i.account_id.as_deref())),
            i.alternate_contact_type.as_str(),
        ),
        Op::GetAlternateContact(i) => with_type(
            Access::new(&action, resource(i.account_id.as_deref())),
            i.alternate_contact_type.as_str(),
        ),
        Op::DeleteAlternateContact(i) => with_type(
            Access::new(&action, resource(i.account_id.as_deref())),
            i.alternate_contact_type.as_str(),
        ),
        Op::PutContactInformation(i) => Access::new(&action, resource(i.account_id.as_deref())),
        Op::GetContactInformation(i) => Access::new(&action, resource(i.account_id.as_deref())),
        Op::GetAccountInformation(i) => Access::new(&action, resource(i.account_id.as_deref())),
        Op::PutAccountName(i) => Access::new(&action, resource(i.account_id.as_deref())),
        Op::GetPrimaryEmail(i) => Access::new(&action, resource(Some(&i.account_id))),
        Op::ListRegions(i) => Access::new(&action, resource(i.account_id.as_deref())),
        Op::GetRegionOptStatus(i) => Access::new(&action, resource(i.account_id.as_deref()))
            .with_key("account:TargetRegion", i.region_name.as_str()),
        Op::EnableRegion(i) => Access::new(&action, resource(i.account_id.as_deref()))
            .with_key("account:TargetRegion", i.region_name.as_str()),
        Op::DisableRegion(i) => Access::new(&action, resource(i.account_id.as_deref()))
            .with_key("account:TargetRegion", i.region_name.as_str()),
        Op::StartPrimaryEmailUpdate(i) => {
            let access = Access::new(&action, resource(Some(&i.account_id)));
            match i.primary_email.rsplit_once('@') {
                Some((_, domain)) => access.with_key("account:EmailTargetDomain", domain.trim()),
                None => access,
            }
        }
        Op::AcceptPrimaryEmailUpdate(i) => Access::new(&action, resource(Some(&i.account_id))),
        Op::GetGovCloudAccountInformation(i) => {
            Access::new(&action, resource(i.standard_account_id.as_deref()))
        }
    }
}
