//! The Account API (restJson1): alternate contacts, contact information, account name
//! here; region opt-in in [`regions`], the primary email update in [`primary_email`].
//!
//! Without `AccountId` an operation acts on the caller's own account. Naming another
//! account is for an organization's management account acting on a member (the
//! Organizations layer decides that); naming one's own account is refused as AWS does.

use rampart_wire::account::{self as wire, AlternateContactType, Operation, Output};
use rampart_wire::json::IsoTimestamp;

use crate::auth::Caller;
use crate::engine::Engine;
use crate::error::CoreError;
use crate::model::{AccountId, AccountRecord, AlternateContact, ContactInformation};
use crate::state::State;

pub mod primary_email;
pub mod regions;

/// The account an Account API call targets.
pub fn target(
    state: &State,
    caller: &Caller,
    account_id: Option<&str>,
) -> Result<AccountId, CoreError> {
    let Some(id) = account_id else {
        return Ok(caller.account.clone());
    };
    let target = AccountId::parse(id)
        .ok_or_else(|| CoreError::Validation(format!("Invalid account ID {id}.")))?;
    if target == caller.account {
        return Err(CoreError::AccessDenied(
            "The management account can only be managed using the standalone context from the management account.".to_owned(),
        ));
    }
    if !crate::ops::organizations_bridge::manages(state, &caller.account, &target) {
        return Err(CoreError::AccessDenied(format!(
            "User: {} is not authorized to perform this operation on account {id}",
            caller.arn()
        )));
    }
    Ok(target)
}

pub(crate) fn record(state: &State, account: &AccountId) -> Result<AccountRecord, CoreError> {
    state
        .account(account)
        .map(|a| AccountRecord::clone(a))
        .ok_or_else(|| CoreError::ResourceNotFound(format!("Account {account} not found.")))
}

fn type_key(t: AlternateContactType) -> &'static str {
    t.as_str()
}

/// Executes an Account API operation for an authenticated, authorized caller.
pub fn execute(
    engine: &Engine,
    caller: &Caller,
    op: &Operation,
    now: i64,
) -> Result<Output, CoreError> {
    let snapshot = engine.snapshot();
    let state: &State = &snapshot;
    match op {
        Operation::PutAlternateContact(i) => {
            let account = target(state, caller, i.account_id.as_deref())?;
            let contact = AlternateContact {
                name: i.name.clone(),
                title: i.title.clone(),
                email_address: i.email_address.clone(),
                phone_number: i.phone_number.clone(),
            };
            engine.write(|txn| {
                let mut rec = record(txn.state(), &account)?;
                rec.alternate_contacts.insert(
                    type_key(i.alternate_contact_type).to_owned(),
                    contact.clone(),
                );
                txn.put(&rec)
            })?;
            Ok(Output::Empty)
        }
        Operation::GetAlternateContact(i) => {
            let wire::RequestedContactType::Known(contact_type) = i.alternate_contact_type else {
                // AWS answers this after authorization, as a denial naming the reason.
                return Err(CoreError::AccessDenied(format!(
                    "User: {} is not authorized to perform: account:GetAlternateContact (You specified an invalid Alternate Contact type.)",
                    caller.arn()
                )));
            };
            let account = target(state, caller, i.account_id.as_deref())?;
            let rec = record(state, &account)?;
            let contact = rec
                .alternate_contacts
                .get(type_key(contact_type))
                .ok_or_else(|| {
                    CoreError::ResourceNotFound(
                        "No contact of the inputted alternate contact type found.".to_owned(),
                    )
                })?;
            Ok(wire::GetAlternateContactOutput {
                alternate_contact: wire::AlternateContact {
                    name: contact.name.clone(),
                    title: contact.title.clone(),
                    email_address: contact.email_address.clone(),
                    phone_number: contact.phone_number.clone(),
                    alternate_contact_type: contact_type,
                },
            }
            .into())
        }
        Operation::DeleteAlternateContact(i) => {
            let account = target(state, caller, i.account_id.as_deref())?;
            engine.write(|txn| {
                let mut rec = record(txn.state(), &account)?;
                if rec
                    .alternate_contacts
                    .remove(type_key(i.alternate_contact_type))
                    .is_none()
                {
                    return Err(CoreError::ResourceNotFound(
                        "No contact of the inputted alternate contact type found.".to_owned(),
                    ));
                }
                txn.put(&rec)
            })?;
            Ok(Output::Empty)
        }
        Operation::PutContactInformation(i) => {
            let account = target(state, caller, i.account_id.as_deref())?;
            let c = &i.contact_information;
            let info = ContactInformation {
                full_name: c.full_name.clone(),
                address_lines: [
                    Some(c.address_line1.clone()),
                    c.address_line2.clone(),
                    c.address_line3.clone(),
                ]
                .into_iter()
                .flatten()
                .collect(),
                city: c.city.clone(),
                state_or_region: c.state_or_region.clone(),
                district_or_county: c.district_or_county.clone(),
                postal_code: c.postal_code.clone(),
                country_code: c.country_code.clone(),
                phone_number: c.phone_number.clone(),
                company_name: c.company_name.clone(),
                website_url: c.website_url.clone(),
            };
            engine.write(|txn| {
                let mut rec = record(txn.state(), &account)?;
                rec.contact_information = Some(info.clone());
                txn.put(&rec)
            })?;
            Ok(Output::Empty)
        }
        Operation::GetContactInformation(i) => {
            let account = target(state, caller, i.account_id.as_deref())?;
            let rec = record(state, &account)?;
            let c = rec.contact_information.ok_or_else(|| {
                CoreError::ResourceNotFound(
                    "No contact information found for this account.".to_owned(),
                )
            })?;
            let mut lines = c.address_lines.into_iter();
            Ok(wire::GetContactInformationOutput {
                contact_information: wire::ContactInformation {
                    full_name: c.full_name,
                    address_line1: lines.next().unwrap_or_default(),
                    address_line2: lines.next(),
                    address_line3: lines.next(),
                    city: c.city,
                    state_or_region: c.state_or_region,
                    district_or_county: c.district_or_county,
                    postal_code: c.postal_code,
                    country_code: c.country_code,
                    phone_number: c.phone_number,
                    company_name: c.company_name,
                    website_url: c.website_url,
                },
            }
            .into())
        }
        Operation::GetAccountInformation(i) => {
            let account = target(state, caller, i.account_id.as_deref())?;
            let rec = record(state, &account)?;
            Ok(wire::GetAccountInformationOutput {
                account_id: rec.id.as_str().to_owned(),
                account_name: rec.name.clone(),
                account_created_date: IsoTimestamp(rampart_wire::Timestamp(rec.created)),
                account_state: Some(wire::AccountState::Active),
            }
            .into())
        }
        Operation::PutAccountName(i) => {
            let account = target(state, caller, i.account_id.as_deref())?;
            engine.write(|txn| {
                let mut rec = record(txn.state(), &account)?;
                rec.name = i.account_name.clone();
                txn.put(&rec)
            })?;
            Ok(Output::Empty)
        }
        Operation::GetPrimaryEmail(i) => {
            let account = target(state, caller, Some(&i.account_id))?;
            Ok(wire::GetPrimaryEmailOutput {
                primary_email: record(state, &account)?.email,
            }
            .into())
        }
        Operation::ListRegions(i) => regions::list(state, caller, i, now),
        Operation::GetRegionOptStatus(i) => regions::get(state, caller, i, now),
        Operation::EnableRegion(i) => regions::change(
            engine,
            caller,
            i.account_id.as_deref(),
            &i.region_name,
            true,
            now,
        ),
        Operation::DisableRegion(i) => regions::change(
            engine,
            caller,
            i.account_id.as_deref(),
            &i.region_name,
            false,
            now,
        ),
        Operation::StartPrimaryEmailUpdate(i) => primary_email::start(engine, caller, i, now),
        Operation::AcceptPrimaryEmailUpdate(i) => primary_email::accept(engine, caller, i, now),
        Operation::GetGovCloudAccountInformation(i) => {
            // No account here is linked to a GovCloud account (CreateGovCloudAccount is
            // refused outside GovCloud-enabled accounts), so every lookup that may be
            // made finds none.
            let account = target(state, caller, i.standard_account_id.as_deref())?;
            record(state, &account)?;
            Err(CoreError::ResourceNotFound(format!(
                "No GovCloud account is linked to account {account}."
            )))
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use rampart_wire::account::RegionOptStatus;

    use super::*;
    use crate::auth::Principal;
    use crate::ops::organizations::testing::{account, member, organization};

    /// An engine with a management account (its root as `root`) and, maybe, a member.
    pub struct Fixture {
        pub engine: Engine,
        pub root: Caller,
        pub member: Option<AccountId>,
    }

    fn root_of(account: AccountId) -> Caller {
        Caller {
            account,
            principal: Principal::Root,
            access_key_id: "AKIAIOSFODNN7EXAMPLE".to_owned(),
            session: None,
        }
    }

    impl Fixture {
        /// A standalone account.
        pub fn standalone() -> Fixture {
            let engine = Engine::in_memory();
            let id = account(&engine, "solo@example.com");
            Fixture {
                engine,
                root: root_of(id),
                member: None,
            }
        }

        /// An organization's management account and one member (`member@example.com`).
        pub fn with_member() -> Fixture {
            let (engine, management) = organization();
            let member = member(&engine, &management, "member@example.com");
            Fixture {
                engine,
                root: root_of(management),
                member: Some(member),
            }
        }
    }

    /// The status of `region` in the fixture's own account at `now`.
    pub fn status_of(f: &Fixture, region: &str, now: i64) -> RegionOptStatus {
        let state = f.engine.snapshot();
        regions::status(state.account(&f.root.account).unwrap(), region, now).unwrap()
    }

    #[test]
    fn govcloud_information_is_not_found_for_a_standard_account() {
        let f = Fixture::with_member();
        let op = Operation::GetGovCloudAccountInformation(
            wire::GetGovCloudAccountInformationInput::default(),
        );
        let err = execute(&f.engine, &f.root, &op, 0).unwrap_err();
        assert_eq!(
            err.code(),
            rampart_wire::ErrorCode::ResourceNotFoundException
        );
        let op =
            Operation::GetGovCloudAccountInformation(wire::GetGovCloudAccountInformationInput {
                standard_account_id: Some("999999999999".into()),
            });
        let err = execute(&f.engine, &f.root, &op, 0).unwrap_err();
        assert!(matches!(err, CoreError::AccessDenied(_)), "{err:?}");
    }
}
